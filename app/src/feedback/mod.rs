//! "Donner mon avis": anyone, signed in or not, says how a page went (bien,
//! moyen, mal), what they were trying to do, a comment, and whether they want
//! to be contacted back. The page, the role and the territory are recorded by
//! the server from the session and the link followed, never typed. The team
//! sorts the avis (`/admin/avis`: statuses, tags, a reply by mail, a link to an
//! évolution) and keeps its list of product changes (`/admin/evolutions`):
//! marking one "faite" mails everyone who asked for it and agreed to be
//! contacted.
//!
//! Layers: the rules and types here, the service in `service.rs`, the forms in
//! `handlers.rs`, the JSON API in `api.rs`, the pages in `page.rs` (the form)
//! and `admin_page.rs` (the team's pages).

pub mod admin_page;
#[cfg(feature = "ssr")]
pub mod api;
#[cfg(feature = "ssr")]
pub mod handlers;
pub mod page;
#[cfg(feature = "ssr")]
pub mod service;

use crate::rules::vocabulary::Term;
use serde::{Deserialize, Serialize};

/// How it went: the State's "Je donne mon avis" three levels, in words.
pub const NIVEAUX: [Term; 3] = [("bien", "Bien"), ("moyen", "Moyen"), ("mal", "Mal")];

/// Where the team is with an avis.
pub const STATUTS: [Term; 5] =
    [("nouveau", "Nouveau"), ("a_l_etude", "À l'étude"), ("prevu", "Prévu"), ("fait", "Fait"), ("sans_suite", "Sans suite")];

/// Where the team is with an évolution.
pub const STATUTS_EVOLUTION: [Term; 5] =
    [("a_l_etude", "À l'étude"), ("prevue", "Prévue"), ("en_cours", "En cours"), ("fait", "Faite"), ("abandonnee", "Abandonnée")];

pub const OBJECTIF_MAX: usize = 300;
pub const COMMENTAIRE_MAX: usize = 2000;
pub const REPONSE_MAX: usize = 4000;
pub const TITRE_MAX: usize = 150;
pub const DESCRIPTION_MAX: usize = 2000;
pub const ETIQUETTE_MAX: usize = 30;
pub const ETIQUETTES_MAX: usize = 10;
/// A page's address kept with an avis is at most this long.
pub const PAGE_MAX: usize = 120;
/// Avis one person (an account, or an IP for visitors) may give per 30 minutes
/// (the sign-in throttle's window and atomic counter).
pub const AVIS_PAR_FENETRE: i64 = 10;
/// Avis per page of the team's list.
pub use crate::rules::pagination::PAR_PAGE;

/// The warning shown above the comment box.
pub const AVERTISSEMENT: &str = "N'écrivez rien sur une personne protégée (nom, date de naissance, numéro RG, situation) : \
                                 votre avis est lu par l'équipe e-MJPM, pas par le tribunal.";

/// An avis as given (the form and `POST /api/v1/avis`).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DemandeAvis {
    /// Comment cela s'est passé : `bien`, `moyen` ou `mal`.
    pub niveau: String,
    /// Ce que la personne cherchait à faire (300 caractères au plus).
    #[serde(default)]
    pub objectif: Option<String>,
    /// Son commentaire (2 000 caractères au plus). Rien sur une personne protégée.
    #[serde(default)]
    pub commentaire: Option<String>,
    /// La personne accepte d'être recontactée.
    #[serde(default)]
    pub recontacter: bool,
    /// Adresse de la page concernée (chemin seul, par exemple `/tribunal/recherche`) ; les
    /// identifiants sont remplacés par `{id}`, une adresse d'un autre site est ignorée.
    #[serde(default)]
    pub page: Option<String>,
    /// Adresse électronique à laquelle répondre : requise pour être recontacté sans être connecté ;
    /// une personne connectée reçoit la réponse à l'adresse de son compte.
    #[serde(default)]
    pub courriel: Option<String>,
}

/// An avis once checked.
#[derive(Clone, Debug, PartialEq)]
pub struct AvisValide {
    pub niveau: String,
    pub objectif: String,
    pub commentaire: String,
    pub recontacter: bool,
    pub page: Option<String>,
    /// A visitor's address to answer at (none for a signed-in person).
    pub courriel: Option<String>,
}

/// Checks an avis; `connecte`: given by a signed-in person (answered at the
/// account's address). Every refused field at once.
pub fn valider(demande: &DemandeAvis, connecte: bool) -> Result<AvisValide, Vec<(String, String)>> {
    let mut refus = Vec::new();
    let niveau = demande.niveau.trim();
    if !crate::rules::vocabulary::is_valid(&NIVEAUX, niveau) {
        refus.push(("niveau".into(), "Indiquez comment cela s'est passé : bien, moyen ou mal.".into()));
    }
    let objectif = demande.objectif.as_deref().unwrap_or("").trim().to_string();
    if objectif.chars().count() > OBJECTIF_MAX {
        refus.push(("objectif".into(), format!("Ce que vous cherchiez à faire tient en {OBJECTIF_MAX} caractères au plus.")));
    }
    let commentaire = demande.commentaire.as_deref().unwrap_or("").trim().to_string();
    if commentaire.chars().count() > COMMENTAIRE_MAX {
        refus.push(("commentaire".into(), format!("Le commentaire compte au plus {COMMENTAIRE_MAX} caractères.")));
    }
    let typed = demande.courriel.as_deref().unwrap_or("").trim();
    let courriel = if connecte || !demande.recontacter {
        None
    } else {
        match crate::rules::contact::email(typed) {
            Ok(address) => Some(address),
            Err(_) if typed.is_empty() => {
                refus.push(("courriel".into(), "Indiquez votre adresse électronique pour être recontacté.".into()));
                None
            }
            Err(message) => {
                refus.push(("courriel".into(), message.into()));
                None
            }
        }
    };
    if !refus.is_empty() {
        return Err(refus);
    }
    Ok(AvisValide {
        niveau: niveau.to_string(),
        objectif,
        commentaire,
        recontacter: demande.recontacter,
        page: demande.page.as_deref().and_then(page_of),
        courriel,
    })
}

/// The page an avis is about, as kept: the path of a page of this site (no
/// query, no fragment), ids replaced by `{id}` so that no record is named and
/// the avis of one page group together. Anything else (another site, a path
/// that is not one of ours, the form itself) is not kept.
pub fn page_of(address: &str) -> Option<String> {
    let path = address.trim().split(['?', '#']).next().unwrap_or("");
    if !path.starts_with('/') || path.starts_with("//") {
        return None;
    }
    let mut kept = Vec::new();
    for segment in path.split('/').skip(1).filter(|s| !s.is_empty()) {
        if segment.chars().all(|c| c.is_ascii_digit()) {
            kept.push("{id}".to_string());
        } else if segment.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
            kept.push(segment.to_string());
        } else {
            return None;
        }
    }
    let page = format!("/{}", kept.join("/"));
    (page.len() <= PAGE_MAX && page != "/avis").then_some(page)
}

/// The team's tags typed as "lenteur, carte": trimmed, lower-cased, once each.
pub fn etiquettes(typed: &str) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for tag in typed.split(',').map(|t| t.trim().to_lowercase()).filter(|t| !t.is_empty()) {
        if tag.chars().count() > ETIQUETTE_MAX {
            return Err(format!("Une étiquette compte au plus {ETIQUETTE_MAX} caractères (« {tag} »)."));
        }
        if !out.contains(&tag) {
            out.push(tag);
        }
    }
    if out.len() > ETIQUETTES_MAX {
        return Err(format!("Au plus {ETIQUETTES_MAX} étiquettes par avis."));
    }
    Ok(out)
}

/// The label of a level, a status… (the code itself when unknown).
pub fn libelle(list: &[Term], code: &str) -> String {
    crate::rules::vocabulary::label(list, code).unwrap_or(code).to_string()
}

/// An answer the team sent.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReponseAvis {
    /// Par exemple « 06/12/2026 14:05 » (heure de Paris).
    pub date: String,
    pub auteur: String,
    pub destinataire: String,
    pub texte: String,
}

/// One avis in the team's list (`/admin/avis`, `GET /api/v1/avis`).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LigneAvis {
    pub id: i32,
    /// Date et heure de dépôt, RFC 3339.
    pub cree_le: String,
    /// Par exemple « 06/12/2026 14:05 » (heure de Paris).
    pub date: String,
    /// `bien`, `moyen` ou `mal`.
    pub niveau: String,
    pub objectif: String,
    /// Texte brut tel que saisi : à afficher comme du texte, jamais comme du HTML.
    pub commentaire: String,
    pub recontacter: bool,
    /// L'adresse à laquelle répondre, quand la personne accepte d'être recontactée.
    pub contact: Option<String>,
    /// « Prénom Nom » de la personne connectée ; absent pour un visiteur.
    pub auteur: Option<String>,
    /// Rôle au moment de l'avis (code), absent pour un visiteur.
    pub role: Option<String>,
    /// Territoire au moment de l'avis : « 59 — Nord », ou la région d'une direction régionale.
    pub territoire: Option<String>,
    /// Page concernée, identifiants remplacés par `{id}`.
    pub page: Option<String>,
    /// `nouveau`, `a_l_etude`, `prevu`, `fait` ou `sans_suite`.
    pub statut: String,
    pub etiquettes: Vec<String>,
    /// L'évolution liée : (identifiant, titre).
    pub evolution: Option<(i32, String)>,
    pub reponses: Vec<ReponseAvis>,
}

/// Satisfaction of one role in one month.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Satisfaction {
    /// `2026-12`.
    pub mois: String,
    /// A role's code, or empty for visitors.
    pub role: String,
    pub bien: i64,
    pub moyen: i64,
    pub mal: i64,
}

impl Satisfaction {
    pub fn total(&self) -> i64 {
        self.bien + self.moyen + self.mal
    }

    /// The share of "bien", in whole percent.
    pub fn part_bien(&self) -> i64 {
        match self.total() {
            0 => 0,
            total => (self.bien * 100 + total / 2) / total,
        }
    }
}

/// The team's page of avis.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PageAvis {
    pub total: u64,
    pub numero: u64,
    pub avis: Vec<LigneAvis>,
    /// Every évolution (id, title), to link an avis to one.
    pub evolutions: Vec<(i32, String)>,
    /// The territories of the filter: régions (`r-<code>`) and départements.
    pub territoires: Vec<(String, String)>,
    /// The pages avis were given about.
    pub pages: Vec<String>,
    /// Satisfaction per month (the last 12) and role.
    pub satisfaction: Vec<Satisfaction>,
}

/// The filters of the team's list (query string of `/admin/avis` and of
/// `GET /api/v1/avis`).
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FiltresAvis {
    /// Code d'un rôle, ou `visiteur` pour les avis donnés sans être connecté.
    pub role: Option<String>,
    /// Code d'un département (`59`) ou d'une région précédé de `r-` (`r-32`).
    pub territoire: Option<String>,
    /// Page concernée, telle qu'enregistrée (`/tribunal/recherche`, `/tribunal/mesures/{id}`).
    pub page: Option<String>,
    /// `bien`, `moyen` ou `mal`.
    pub niveau: Option<String>,
    /// `nouveau`, `a_l_etude`, `prevu`, `fait` ou `sans_suite`.
    pub statut: Option<String>,
    /// Premier jour de la période (AAAA-MM-JJ, inclus).
    pub du: Option<String>,
    /// Dernier jour de la période (AAAA-MM-JJ, inclus).
    pub au: Option<String>,
    /// Identifiant d'une évolution : les avis qui y sont liés.
    pub evolution: Option<String>,
    /// Numéro de page de la liste (50 avis par page), à partir de 1.
    pub numero: Option<String>,
}

/// One évolution in the team's list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LigneEvolution {
    pub id: i32,
    pub titre: String,
    pub description: String,
    pub statut: String,
    pub fait_le: Option<String>,
    /// Avis linked to it.
    pub avis: i64,
    /// Of those, the people who agreed to be contacted and were not told yet.
    pub a_informer: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_is_a_path_of_this_site_with_ids_hidden() {
        assert_eq!(page_of("/tribunal/recherche?commune=Lille#resultats").as_deref(), Some("/tribunal/recherche"));
        assert_eq!(page_of("/tribunal/mesures/123/modifier").as_deref(), Some("/tribunal/mesures/{id}/modifier"));
        assert_eq!(page_of("/").as_deref(), Some("/"));
        assert_eq!(page_of("https://ailleurs.example/piege"), None);
        assert_eq!(page_of("//ailleurs.example/piege"), None);
        assert_eq!(page_of("/<script>"), None);
        assert_eq!(page_of("/avis"), None, "the form itself says nothing");
        assert_eq!(page_of(&format!("/{}", "a".repeat(PAGE_MAX))), None);
    }

    #[test]
    fn an_avis_needs_a_level_and_an_address_to_answer_a_visitor_at() {
        let mut demande = DemandeAvis { niveau: "moyen".into(), page: Some("/tribunal/mesures/9".into()), ..Default::default() };
        let valide = valider(&demande, false).expect("a level is enough");
        assert_eq!(valide.page.as_deref(), Some("/tribunal/mesures/{id}"));
        assert_eq!(valide.courriel, None);

        demande.recontacter = true;
        let refus = valider(&demande, false).expect_err("a visitor must leave an address");
        assert_eq!(refus, vec![("courriel".to_string(), "Indiquez votre adresse électronique pour être recontacté.".to_string())]);
        assert!(valider(&demande, true).is_ok(), "a signed-in person is answered at the account's address");
        demande.courriel = Some(" marie@exemple.fr ".into());
        assert_eq!(valider(&demande, false).expect("valid").courriel.as_deref(), Some("marie@exemple.fr"));

        let trop = DemandeAvis {
            niveau: "super".into(),
            objectif: Some("o".repeat(OBJECTIF_MAX + 1)),
            commentaire: Some("c".repeat(COMMENTAIRE_MAX + 1)),
            ..Default::default()
        };
        let champs: Vec<String> = valider(&trop, true).expect_err("refused").into_iter().map(|(champ, _)| champ).collect();
        assert_eq!(champs, ["niveau", "objectif", "commentaire"]);
        let juste = DemandeAvis { niveau: "bien".into(), commentaire: Some("é".repeat(COMMENTAIRE_MAX)), ..Default::default() };
        assert!(valider(&juste, true).is_ok(), "the limit counts characters, not bytes");
    }

    #[test]
    fn tags_are_kept_once_each_in_lower_case() {
        assert_eq!(etiquettes(" Lenteur, carte ,lenteur,, ").expect("valid"), ["lenteur", "carte"]);
        assert!(etiquettes(&"x".repeat(ETIQUETTE_MAX + 1)).is_err());
        let onze: Vec<String> = (0..=ETIQUETTES_MAX).map(|i| format!("t{i}")).collect();
        assert!(etiquettes(&onze.join(",")).is_err());
    }

    #[test]
    fn satisfaction_is_the_rounded_share_of_bien() {
        let s = Satisfaction { mois: "2026-12".into(), role: "magistrat".into(), bien: 2, moyen: 0, mal: 1 };
        assert_eq!((s.total(), s.part_bien()), (3, 67));
        let vide = Satisfaction { bien: 0, ..s };
        assert_eq!(vide.part_bien(), 0);
    }
}
