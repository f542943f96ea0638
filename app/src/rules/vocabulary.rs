//! The national vocabulary of measures (schema-pjm reference lists): stored codes
//! and the French labels users read. One list per notion, used by forms, filters,
//! validation and demo data alike.

/// (stored code, label)
pub type Term = (&'static str, &'static str);

pub const NATURES: [Term; 9] = [
    ("curatelle_simple", "Curatelle simple"),
    ("curatelle_renforcee", "Curatelle renforcée"),
    ("tutelle", "Tutelle"),
    ("sauvegarde_justice", "Sauvegarde de justice avec mandat spécial"),
    ("mesure_accompagnement_judiciaire", "Mesure d'accompagnement judiciaire"),
    ("subroge_curateur", "Subrogé curateur"),
    ("subroge_tuteur", "Subrogé tuteur"),
    ("mandat_protection_future", "Mandat de protection future"),
    ("mesure_ad_hoc", "Mesure ad hoc"),
];

pub const CHAMPS: [Term; 3] = [
    ("protection_bien", "Protection des biens"),
    ("protection_personne", "Protection de la personne"),
    ("protection_bien_personne", "Protection des biens et de la personne"),
];

pub const LIEUX_DE_VIE: [Term; 4] = [
    ("domicile", "Domicile"),
    ("etablissement", "Établissement"),
    ("etablissement_conservation_domicile", "Établissement avec conservation du domicile"),
    ("sdf", "Sans domicile fixe"),
];

pub const TYPES_ETABLISSEMENT: [Term; 6] = [
    ("etablissement_handicapes", "Établissement ou service pour personnes handicapées"),
    ("etablissement_personne_agee", "Établissement pour personnes âgées"),
    ("autre_etablissement_s_ms", "Autre établissement social ou médico-social"),
    ("etablissement_hospitalier", "Établissement hospitalier"),
    ("etablissement_psychiatrique", "Établissement psychiatrique"),
    ("autre_etablissement", "Autre établissement"),
];

pub const CAUSES_SORTIE: [Term; 5] = [
    ("mainlevee", "Mainlevée"),
    ("deces", "Décès"),
    ("caducite", "Caducité"),
    ("dessaisissement_famille", "Dessaisissement en faveur de la famille"),
    ("dessaisissement_autre_mjpm", "Dessaisissement en faveur d'un autre MJPM"),
];

/// Why a professional declines a reservation; `autre` needs the professional's words.
pub const MOTIFS_REFUS: [Term; 4] = [
    ("pas_de_place", "Pas de place"),
    ("hors_zone", "Hors de ma zone"),
    ("conflit_interets", "Conflit d'intérêts"),
    ("autre", "Autre motif"),
];

pub const CIVILITES: [Term; 2] = [("madame", "Madame"), ("monsieur", "Monsieur")];

/// "né" for a man, "née" otherwise (a measure's person is mostly a woman when
/// the civilité is not known: the older population it serves).
pub fn ne_ou_nee(civilite: Option<&str>) -> &'static str {
    if civilite == Some("monsieur") {
        "né"
    } else {
        "née"
    }
}

/// Measure statuses.
pub const STATUTS: [Term; 3] = [("en_attente", "En attente"), ("en_cours", "En cours"), ("eteinte", "Éteinte")];

/// Kinds of gestionnaire.
pub const TYPES_GESTIONNAIRE: [Term; 3] =
    [("individuel", "Mandataire individuel"), ("prepose", "Préposé d'établissement"), ("service", "Service mandataire")];

/// Languages and competences professionals commonly declare.
pub const COMPETENCES: [&str; 8] = ["langue des signes", "anglais", "arabe", "espagnol", "portugais", "allemand", "italien", "turc"];

/// The label of a code in a list, if the code belongs to it.
pub fn label(list: &[Term], code: &str) -> Option<&'static str> {
    list.iter().find(|(c, _)| *c == code).map(|(_, l)| *l)
}

/// True when `code` belongs to the list.
pub fn is_valid(list: &[Term], code: &str) -> bool {
    label(list, code).is_some()
}

/// The codes of a list, comma-separated, for error messages.
pub fn codes(list: &[Term]) -> String {
    list.iter().map(|(c, _)| *c).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups() {
        assert_eq!(label(&NATURES, "tutelle"), Some("Tutelle"));
        assert!(is_valid(&CAUSES_SORTIE, "deces"));
        assert!(!is_valid(&CHAMPS, "tutelle"));
        assert!(codes(&STATUTS).starts_with("en_attente, en_cours"));
    }

    #[test]
    fn codes_are_unique_within_each_list() {
        for list in [&NATURES[..], &CHAMPS, &LIEUX_DE_VIE, &TYPES_ETABLISSEMENT, &CAUSES_SORTIE, &STATUTS] {
            let mut seen: Vec<_> = list.iter().map(|(c, _)| c).collect();
            seen.sort();
            seen.dedup();
            assert_eq!(seen.len(), list.len());
        }
    }
}
