//! The team's invitations (`/admin/invitations`): the people to invite for a
//! territory are imported from a contacts file (CSV, see `fichier`), checked
//! line by line — nothing is imported when one line is wrong — and invited by
//! mail through the outbox: a personal link (its token hashed in the
//! database, valid [`VALIDITE_JOURS`] days, single use) opens the sign-up form
//! already filled in and attached to the right tribunal or professional. One
//! reminder goes out after [`RAPPEL_JOURS`] days (the scheduled job
//! `rappel-invitations`); "ne plus recevoir ces invitations" is honoured for
//! good. A person who signs up through the link with the data the team
//! imported (address, role, attachment) is validated at once: the team chose
//! whom to invite; anything changed goes through the usual validation.
//!
//! Layers: the rules and types here, the file's reading in `fichier.rs`, the
//! service in `service.rs`, the forms in `handlers.rs`, the pages in `page.rs`.

#[cfg(feature = "ssr")]
pub mod fichier;
#[cfg(feature = "ssr")]
pub mod handlers;
pub mod page;
#[cfg(feature = "ssr")]
pub mod service;

use crate::rules::roles::Role;
use serde::{Deserialize, Serialize};

/// How long an invitation's link is valid, from the first mail.
pub const VALIDITE_JOURS: i64 = 30;
/// When the one reminder goes out, if the link was not used.
pub const RAPPEL_JOURS: i64 = 7;
/// The largest contacts file read, and its most lines.
pub const FICHIER_MAX_OCTETS: usize = 1_000_000;
pub const LIGNES_MAX: usize = 5_000;
/// The errors of a refused file shown at once (the rest are counted).
pub const ERREURS_MONTREES: usize = 20;
/// The invitations mailed per click of "Envoyer" (the rest on the next click).
pub const ENVOI_PAR_LOT: u64 = 500;

/// Why a link no longer opens a form.
pub const LIEN_INVALIDE: &str = "Ce lien d'invitation n'est plus valable : il a déjà servi, il a expiré ou l'invitation a été retirée. \
                                 Vous pouvez demander un compte depuis la page « Demander un compte ».";

/// The roles one may be invited to (the sign-up's).
pub const ROLES: [Role; 6] = crate::accounts::inscription::ROLES;

/// A line of a contacts file that reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contact {
    /// The line's number in the file (the header is line 1).
    pub ligne: usize,
    pub role: Role,
    /// Lower case.
    pub email: String,
    pub prenom: String,
    pub nom: String,
    /// The tribunal (SIRET or name), the individuel's or service's SIRET, the
    /// préposé's établissement (FINESS); empty for a direction.
    pub rattachement: String,
    /// The line read without error (its attachment may still be unknown).
    pub lisible: bool,
}

/// The role a contacts file names, as people write it ("Préposé", "JUGE").
pub fn role_ecrit(typed: &str) -> Option<Role> {
    let plain = crate::rules::geo::sans_accents(typed.trim());
    let role = match plain.as_str() {
        "juge" | "magistrate" | "jcp" => Role::Magistrat,
        "greffiere" => Role::Greffier,
        "mandataire individuel" => Role::Individuel,
        "prepose d'etablissement" | "preposee" => Role::Prepose,
        "service mandataire" => Role::Service,
        "ddets" | "dreets" => Role::Direction,
        other => Role::parse(other)?,
    };
    ROLES.contains(&role).then_some(role)
}

/// Where an invitation is in its life (computed from its dates, in order).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Etape {
    /// Imported, not mailed yet.
    AEnvoyer,
    Envoyee,
    Ouverte,
    CompteCree,
    Connectee,
    /// "Ne plus recevoir ces invitations".
    Refusee,
    /// Not used within its validity.
    Expiree,
}

impl Etape {
    pub const ALL: [Etape; 7] =
        [Etape::AEnvoyer, Etape::Envoyee, Etape::Ouverte, Etape::CompteCree, Etape::Connectee, Etape::Refusee, Etape::Expiree];

    pub fn code(self) -> &'static str {
        match self {
            Etape::AEnvoyer => "a_envoyer",
            Etape::Envoyee => "envoyee",
            Etape::Ouverte => "ouverte",
            Etape::CompteCree => "compte_cree",
            Etape::Connectee => "connectee",
            Etape::Refusee => "refusee",
            Etape::Expiree => "expiree",
        }
    }

    pub fn parse(code: &str) -> Option<Etape> {
        Etape::ALL.into_iter().find(|e| e.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Etape::AEnvoyer => "À envoyer",
            Etape::Envoyee => "Envoyée",
            Etape::Ouverte => "Lien ouvert",
            Etape::CompteCree => "Compte créé",
            Etape::Connectee => "Connectée",
            Etape::Refusee => "Ne veut plus d'invitation",
            Etape::Expiree => "Expirée",
        }
    }
}

/// The dates an invitation's step is read from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Dates {
    pub envoyee: bool,
    pub ouverte: bool,
    pub compte: bool,
    pub connectee: bool,
    pub refusee: bool,
    /// The link's validity is over.
    pub expiree: bool,
}

/// The step of an invitation: an account (and a sign-in) wins over anything;
/// a refusal over the link's state; an unused link past its validity expired.
pub fn etape(d: Dates) -> Etape {
    match d {
        Dates { compte: true, connectee: true, .. } => Etape::Connectee,
        Dates { compte: true, .. } => Etape::CompteCree,
        Dates { refusee: true, .. } => Etape::Refusee,
        Dates { envoyee: false, .. } => Etape::AEnvoyer,
        Dates { expiree: true, .. } => Etape::Expiree,
        Dates { ouverte: true, .. } => Etape::Ouverte,
        _ => Etape::Envoyee,
    }
}

/// What the team imported, as a sign-up compares it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attendu {
    pub email: String,
    pub role: Role,
    pub tribunal_id: Option<i32>,
    pub service_id: Option<i32>,
    pub etablissement_id: Option<i32>,
    pub siret: Option<String>,
    pub departement_code: String,
}

/// Whether a sign-up through an invitation says what the team imported — the
/// address the link was mailed to, the role and the attachment (the tribunal,
/// the service, the établissement, the SIRET, a direction's département). Then
/// it is validated at once; names and other details are the person's own.
pub fn conforme(attendu: &Attendu, valide: &crate::accounts::inscription::InscriptionValide) -> bool {
    use crate::accounts::inscription::Detail;
    if valide.email != attendu.email || valide.role != attendu.role {
        return false;
    }
    match &valide.detail {
        Detail::Juridiction { tribunal_id, .. } => attendu.tribunal_id == Some(*tribunal_id),
        Detail::Service { service_id } => attendu.service_id == Some(*service_id),
        Detail::Prepose { etablissement_id, .. } => attendu.etablissement_id == Some(*etablissement_id),
        Detail::Individuel { siret, .. } => attendu.siret.as_deref() == Some(siret.as_str()),
        Detail::Direction { kind, departement_code, .. } => {
            kind == "departemental" && departement_code.as_deref() == Some(attendu.departement_code.as_str())
        }
    }
}

/// An invitation as the team's list shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvitationVue {
    pub id: i32,
    pub nom: String,
    pub email: String,
    pub role_label: String,
    pub departement: String,
    /// The tribunal or professional, in words.
    pub rattachement: String,
    pub etape: Etape,
    /// Each step reached, with its date (Paris): (label, "05/12/2026").
    pub vie: Vec<(String, String)>,
}

/// A past import and what it reported.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportVue {
    pub id: i32,
    pub le: String,
    pub departement: String,
    pub fichier: String,
    pub auteur: String,
    pub importees: i32,
    pub signalements: Vec<String>,
}

/// The filters of `/admin/invitations`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FiltresInvitations {
    pub departement: Option<String>,
    pub etape: Option<String>,
}

/// Everything `/admin/invitations` shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PageInvitations {
    pub filtres: FiltresInvitations,
    /// How many invitations of the filtered territory are at each step.
    pub par_etape: Vec<(Etape, i64)>,
    /// The invitations shown (most recent first, at most [`LISTE_MAX`]).
    pub invitations: Vec<InvitationVue>,
    /// How many match the filters in all.
    pub total: i64,
    pub imports: Vec<ImportVue>,
    /// (code, "59 — Nord").
    pub departements: Vec<(String, String)>,
}

/// The most invitations a page lists.
pub const LISTE_MAX: u64 = 200;

/// What the invited person's page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum InvitationOuverte {
    /// The form, with what the team imported: the role, the attachment in
    /// words, and the fields to prefill (name, value).
    Valide { role: String, role_label: String, rattachement: String, valeurs: Vec<(String, String)> },
    /// The person asked not to be invited any more.
    Refusee,
    /// Used, expired, replaced or unknown: the usual sign-up remains.
    Invalide,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::inscription::{Detail, InscriptionValide};

    #[test]
    fn a_contacts_file_may_name_roles_as_people_write_them() {
        assert_eq!(role_ecrit(" Préposé "), Some(Role::Prepose));
        assert_eq!(role_ecrit("JUGE"), Some(Role::Magistrat));
        assert_eq!(role_ecrit("greffière"), Some(Role::Greffier));
        assert_eq!(role_ecrit("service"), Some(Role::Service));
        assert_eq!(role_ecrit("admin"), None);
        assert_eq!(role_ecrit("avocat"), None);
    }

    #[test]
    fn an_invitations_step_follows_its_life() {
        let d = Dates::default();
        assert_eq!(etape(d), Etape::AEnvoyer);
        assert_eq!(etape(Dates { envoyee: true, ..d }), Etape::Envoyee);
        assert_eq!(etape(Dates { envoyee: true, ouverte: true, ..d }), Etape::Ouverte);
        assert_eq!(etape(Dates { envoyee: true, ouverte: true, expiree: true, ..d }), Etape::Expiree);
        assert_eq!(etape(Dates { envoyee: true, refusee: true, expiree: true, ..d }), Etape::Refusee);
        assert_eq!(etape(Dates { envoyee: true, compte: true, expiree: true, ..d }), Etape::CompteCree);
        assert_eq!(etape(Dates { envoyee: true, compte: true, connectee: true, ..d }), Etape::Connectee);
    }

    fn juge(tribunal_id: i32) -> InscriptionValide {
        InscriptionValide {
            role: Role::Magistrat,
            prenom: "Anne".into(),
            nom: "Martin".into(),
            email: "anne.martin@justice.fr".into(),
            telephone: None,
            mot_de_passe: String::new(),
            detail: Detail::Juridiction { tribunal_id, cabinet: None },
        }
    }

    #[test]
    fn a_sign_up_conforms_when_address_role_and_attachment_are_those_imported() {
        let attendu = Attendu {
            email: "anne.martin@justice.fr".into(),
            role: Role::Magistrat,
            tribunal_id: Some(7),
            service_id: None,
            etablissement_id: None,
            siret: None,
            departement_code: "59".into(),
        };
        assert!(conforme(&attendu, &juge(7)));
        assert!(!conforme(&attendu, &juge(8)), "another tribunal");
        assert!(!conforme(&attendu, &InscriptionValide { email: "autre@justice.fr".into(), ..juge(7) }), "another address");
        assert!(!conforme(&attendu, &InscriptionValide { role: Role::Greffier, ..juge(7) }), "another role");
        let direction = |departement: &str| InscriptionValide {
            role: Role::Direction,
            detail: Detail::Direction {
                kind: "departemental".into(),
                region_code: None,
                departement_code: Some(departement.into()),
                structure: "DDETS".into(),
            },
            ..juge(7)
        };
        let attendu_direction = Attendu { role: Role::Direction, tribunal_id: None, ..attendu };
        assert!(conforme(&attendu_direction, &direction("59")));
        assert!(!conforme(&attendu_direction, &direction("62")));
    }
}
