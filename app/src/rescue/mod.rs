//! Users to rescue (`/admin/a-relancer`, `GET /api/v1/a-relancer`): the
//! people who need a hand, each with the reason, since when, their territory
//! and what they last did. Each reason is a rule here (pure, unit-tested: the
//! thresholds and the working days); the service finds the candidates with one
//! query per reason, never one per person.
//!
//! From the list the team nudges a person (a mail from the reason's template,
//! which the team edits) or marks the case handled with a note; a person
//! nudged for a reason leaves the list for [`SUIVI_JOURS`] days, and the
//! nudge counts as a success when the expected action follows within them.
//!
//! Invitations unused 7 days after they were mailed (the reminder has just
//! gone, automatically) are listed too, without an account: the team
//! re-sends the invitation (a fresh link) or calls the person.

use chrono::{DateTime, Datelike, Duration, FixedOffset, Weekday};
use serde::{Deserialize, Serialize};

/// Why someone needs a hand, in the order the list shows them (the team's
/// own backlog first).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Raison {
    /// A sign-up waiting for the team's decision more than 2 working days.
    InscriptionEnAttente,
    /// Validated, never signed in, 7 days after the account was created.
    JamaisConnecte,
    /// Blocked by the sign-in throttle (an unlock link is pending), or a
    /// password-reset link asked for and left unused.
    AccesPerdu,
    /// A judge or greffier who searched at least 3 times in 30 days and never reserved.
    RechercheSansReservation,
    /// A professional with a reservation waiting for its answer more than 3 working days.
    ReservationSansReponse,
    /// A professional whose capacity and measures were not touched for 60 days.
    ChiffresAnciens,
    /// A service whose antennes all declare 0 measures wished.
    AntennesAZero,
}

impl Raison {
    pub const ALL: [Raison; 7] = [
        Raison::InscriptionEnAttente,
        Raison::JamaisConnecte,
        Raison::AccesPerdu,
        Raison::RechercheSansReservation,
        Raison::ReservationSansReponse,
        Raison::ChiffresAnciens,
        Raison::AntennesAZero,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Raison::InscriptionEnAttente => "inscription_en_attente",
            Raison::JamaisConnecte => "jamais_connecte",
            Raison::AccesPerdu => "acces_perdu",
            Raison::RechercheSansReservation => "recherche_sans_reservation",
            Raison::ReservationSansReponse => "reservation_sans_reponse",
            Raison::ChiffresAnciens => "chiffres_anciens",
            Raison::AntennesAZero => "antennes_a_zero",
        }
    }

    pub fn parse(code: &str) -> Option<Raison> {
        Raison::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The useful actions (`usage::Action` codes) that mean the nudge worked.
    pub fn actions_attendues(self) -> &'static [&'static str] {
        match self {
            Raison::InscriptionEnAttente | Raison::JamaisConnecte | Raison::AccesPerdu => &["connexion"],
            Raison::RechercheSansReservation => &["reservation"],
            Raison::ReservationSansReponse => &["acceptation"],
            Raison::ChiffresAnciens | Raison::AntennesAZero => &["capacite"],
        }
    }

    /// The mail the team sends when it has not written its own: (subject, text).
    /// `{prenom}` is replaced by the person's first name.
    pub fn gabarit_par_defaut(self) -> (&'static str, &'static str) {
        match self {
            Raison::InscriptionEnAttente => ("Votre inscription à e-MJPM", "Bonjour {prenom},\n\nNous examinons votre demande d'inscription à e-MJPM et revenons vers vous très vite. Si vous avez une question, répondez à l'équipe par le formulaire « Donner mon avis »."),
            Raison::JamaisConnecte => ("Votre compte e-MJPM vous attend", "Bonjour {prenom},\n\nVotre compte e-MJPM est ouvert mais vous ne vous êtes pas encore connecté. Besoin d'aide pour commencer ? Dites-le nous par « Donner mon avis »."),
            Raison::AccesPerdu => ("Retrouver l'accès à e-MJPM", "Bonjour {prenom},\n\nVous semblez avoir eu du mal à vous connecter à e-MJPM. Vous pouvez choisir un nouveau mot de passe depuis la page de connexion (« Mot de passe oublié »)."),
            Raison::RechercheSansReservation => ("Réserver une mesure dans e-MJPM", "Bonjour {prenom},\n\nVous avez cherché des mandataires dans e-MJPM sans encore réserver de mesure. Un mandataire disponible se réserve en une minute depuis sa fiche ; dites-nous ce qui vous a manqué."),
            Raison::ReservationSansReponse => ("Une mesure attend votre réponse", "Bonjour {prenom},\n\nUne mesure vous a été réservée dans e-MJPM et attend votre réponse depuis plusieurs jours. Acceptez-la dès réception du jugement, ou refusez-la pour que le tribunal en confie la mesure à un autre mandataire."),
            Raison::ChiffresAnciens => ("Vos chiffres dans e-MJPM", "Bonjour {prenom},\n\nLes juges voient vos places disponibles dans e-MJPM : vos chiffres n'ont pas été mis à jour depuis deux mois. Un clic sur « Confirmer mes chiffres » suffit s'ils sont justes."),
            Raison::AntennesAZero => ("Les antennes de votre service dans e-MJPM", "Bonjour {prenom},\n\nToutes les antennes de votre service déclarent 0 mesure souhaitée : les juges ne vous en proposent donc aucune. Indiquez la capacité de chaque antenne dans « Ma capacité »."),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Raison::InscriptionEnAttente => "Inscription en attente de validation depuis plus de 2 jours ouvrés",
            Raison::JamaisConnecte => "Compte validé, jamais de connexion après 7 jours",
            Raison::AccesPerdu => "Bloqué à la connexion ou lien de nouveau mot de passe non utilisé",
            Raison::RechercheSansReservation => "Au moins 3 recherches en 30 jours, jamais de réservation",
            Raison::ReservationSansReponse => "Une réservation attend sa réponse depuis plus de 3 jours ouvrés",
            Raison::ChiffresAnciens => "Capacité et mesures non mises à jour depuis 60 jours",
            Raison::AntennesAZero => "Toutes les antennes du service déclarent 0 mesure souhaitée",
        }
    }
}

pub const INSCRIPTION_JOURS_OUVRES: i64 = 2;
pub const JAMAIS_CONNECTE_JOURS: i64 = 7;
/// Searches as recorded: at most one an hour per account
/// (`usage::INTERVALLE_LECTURES`), so three searches are three sittings.
pub const RECHERCHES_MIN: i64 = 3;
pub const RECHERCHES_FENETRE_JOURS: i64 = 30;
pub const RESERVATION_JOURS_OUVRES: i64 = 3;
pub const CHIFFRES_JOURS: i64 = 60;
/// How long a nudge is followed: the person leaves the list, and the nudge
/// worked if the expected action came within this time.
pub const SUIVI_JOURS: i64 = 14;
pub const NOTE_MAX: usize = 500;
pub const SUJET_MAX: usize = 150;
pub const TEXTE_MAX: usize = 4000;

/// A template's text for one person.
pub fn personnaliser(texte: &str, prenom: &str) -> String {
    texte.replace("{prenom}", prenom)
}

/// How the nudges of one reason did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuiviRelances {
    pub raison: String,
    /// `courriel` or `traite`.
    pub mode: String,
    pub nombre: i64,
    /// Followed by the expected action within `SUIVI_JOURS` days.
    pub reussies: i64,
}

/// A reason's mail template, as the team edits it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gabarit {
    pub raison: String,
    pub sujet: String,
    pub texte: String,
}

/// How many people one reason holds (the summary of `/admin/a-relancer`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NombreParRaison {
    /// A code of [`Raison`], or [`INVITATION_INUTILISEE`]'s.
    pub raison: String,
    pub libelle: String,
    pub nombre: u64,
}

/// The list part of `/admin/a-relancer`: how many people each reason holds,
/// and one page of one reason's people — on national data the list holds
/// thousands, and each person shown carries two forms.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ListeARelancer {
    /// The reasons holding someone, in the list's order (the team's backlog first).
    pub raisons: Vec<NombreParRaison>,
    /// The reason shown (its code), if anyone is to rescue.
    pub raison: Option<String>,
    pub page: u64,
    /// The people of the reason shown.
    pub total: u64,
    pub personnes: Vec<ARelancer>,
}

impl ListeARelancer {
    /// Everyone to rescue, all reasons together.
    pub fn tous(&self) -> u64 {
        self.raisons.iter().map(|r| r.nombre).sum()
    }
}

/// The reasons in the list's order: the team's own backlog, the invitations
/// left unused, then the others — as (code, label).
pub fn ordre_des_raisons() -> Vec<(&'static str, &'static str)> {
    let mut ordre: Vec<(&str, &str)> = Raison::ALL.iter().map(|r| (r.code(), r.label())).collect();
    ordre.insert(1, INVITATION_INUTILISEE);
    ordre
}

/// The page `/admin/a-relancer`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PageARelancer {
    pub liste: ListeARelancer,
    pub suivi: Vec<SuiviRelances>,
    pub gabarits: Vec<Gabarit>,
    pub inactifs: inactifs::PageInactifs,
}

/// Working days (Monday to Friday, Paris) fully elapsed from `depuis` to
/// `maintenant`: a Friday evening's sign-up has waited 0 working days on
/// Monday morning, 1 on Tuesday morning. Public holidays are not counted out.
pub fn jours_ouvres(depuis: DateTime<FixedOffset>, maintenant: DateTime<FixedOffset>) -> i64 {
    let paris = |at: DateTime<FixedOffset>| crate::rules::heure::a_paris(&at).date_naive();
    let (mut jour, fin) = (paris(depuis), paris(maintenant));
    let mut n = 0;
    while jour < fin {
        jour += Duration::days(1);
        // A day counts once it has passed entirely: the days strictly
        // between the two dates, plus none for the day itself.
        if jour < fin && !matches!(jour.weekday(), Weekday::Sat | Weekday::Sun) {
            n += 1;
        }
    }
    n
}

/// A sign-up waits too long for the team.
pub fn inscription_en_retard(depuis: DateTime<FixedOffset>, maintenant: DateTime<FixedOffset>) -> bool {
    jours_ouvres(depuis, maintenant) > INSCRIPTION_JOURS_OUVRES
}

/// A reservation waits too long for the professional's answer.
pub fn reservation_en_retard(depuis: DateTime<FixedOffset>, maintenant: DateTime<FixedOffset>) -> bool {
    jours_ouvres(depuis, maintenant) > RESERVATION_JOURS_OUVRES
}

/// A validated account never used, `JAMAIS_CONNECTE_JOURS` after its creation.
pub fn jamais_connecte(
    cree: DateTime<FixedOffset>,
    derniere_connexion: Option<DateTime<FixedOffset>>,
    maintenant: DateTime<FixedOffset>,
) -> bool {
    derniere_connexion.is_none() && maintenant - cree >= Duration::days(JAMAIS_CONNECTE_JOURS)
}

/// A judge who looks but never reserves.
pub fn recherche_sans_reservation(recherches_30_jours: i64, reservations: i64) -> bool {
    recherches_30_jours >= RECHERCHES_MIN && reservations == 0
}

/// A professional's figures judges see as stale.
pub fn chiffres_anciens(derniere_mise_a_jour: DateTime<FixedOffset>, maintenant: DateTime<FixedOffset>) -> bool {
    maintenant - derniere_mise_a_jour >= Duration::days(CHIFFRES_JOURS)
}

/// A service that declares no room anywhere (it has antennes, all at 0).
pub fn antennes_a_zero(antennes: i64, antennes_au_dessus_de_zero: i64) -> bool {
    antennes > 0 && antennes_au_dessus_de_zero == 0
}

/// The reason of an invitation left unused (not one of [`Raison`]: no
/// account to nudge, the invitation is re-sent instead).
pub const INVITATION_INUTILISEE: (&str, &str) =
    ("invitation_inutilisee", "Invitation envoyée depuis plus de 7 jours, pas encore utilisée (rappel automatique parti)");

/// An invitation mailed `RAPPEL_JOURS` days ago or more, still valid, not
/// used and not declined, needs a hand.
pub fn invitation_inutilisee(envoyee: DateTime<FixedOffset>, maintenant: DateTime<FixedOffset>, utilisable: bool) -> bool {
    utilisable && maintenant - envoyee >= Duration::days(crate::invitations::RAPPEL_JOURS)
}

/// One person to rescue (`GET /api/v1/a-relancer`).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ARelancer {
    /// Le compte ; absent pour une invitation (la personne n'a pas encore de compte).
    pub compte_id: Option<i32>,
    /// L'invitation, pour la raison `invitation_inutilisee`.
    pub invitation_id: Option<i32>,
    /// « Prénom Nom ».
    pub nom: String,
    pub email: String,
    /// Code du rôle.
    pub role: String,
    /// Code de la raison : `inscription_en_attente`, `invitation_inutilisee`, `jamais_connecte`, `acces_perdu`,
    /// `recherche_sans_reservation`, `reservation_sans_reponse`, `chiffres_anciens`, `antennes_a_zero`.
    pub raison: String,
    /// La raison en clair.
    pub raison_libelle: String,
    /// Depuis quand (AAAA-MM-JJ).
    pub depuis: String,
    /// « 59 — Nord », si le compte est rattaché à un département.
    pub territoire: Option<String>,
    /// Sa dernière action utile et sa date (« réservation le 02/12/2026 »), s'il en a fait une.
    pub derniere_action: Option<String>,
}

#[cfg(feature = "ssr")]
pub mod api;
#[cfg(feature = "ssr")]
pub mod handlers;
pub mod inactifs;
pub mod page;
#[cfg(feature = "ssr")]
pub mod relance;
#[cfg(feature = "ssr")]
pub mod service;

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(text).expect("date")
    }

    #[test]
    fn the_teams_backlog_comes_first_then_the_unused_invitations() {
        let codes: Vec<&str> = ordre_des_raisons().into_iter().map(|(code, _)| code).collect();
        assert_eq!(codes[..3], ["inscription_en_attente", "invitation_inutilisee", "jamais_connecte"]);
        assert_eq!(codes.len(), Raison::ALL.len() + 1);
    }

    #[test]
    fn working_days_skip_weekends_and_count_whole_days() {
        // Friday 4 December 2026, 18:00 Paris → Monday 7, 09:00: no working day has passed.
        assert_eq!(jours_ouvres(at("2026-12-04T18:00:00+01:00"), at("2026-12-07T09:00:00+01:00")), 0);
        assert_eq!(jours_ouvres(at("2026-12-04T18:00:00+01:00"), at("2026-12-08T09:00:00+01:00")), 1);
        assert_eq!(jours_ouvres(at("2026-12-01T10:00:00+01:00"), at("2026-12-04T09:00:00+01:00")), 2);
        assert!(!inscription_en_retard(at("2026-12-01T10:00:00+01:00"), at("2026-12-04T09:00:00+01:00")));
        assert!(inscription_en_retard(at("2026-12-01T10:00:00+01:00"), at("2026-12-07T09:00:00+01:00")));
        assert!(!reservation_en_retard(at("2026-12-03T10:00:00+01:00"), at("2026-12-08T09:00:00+01:00")), "Fri, Mon: 2 days");
        assert!(reservation_en_retard(at("2026-12-03T10:00:00+01:00"), at("2026-12-10T09:00:00+01:00")));
    }

    #[test]
    fn each_reason_has_its_threshold() {
        let now = at("2026-12-06T12:00:00+01:00");
        assert!(jamais_connecte(at("2026-11-29T12:00:00+01:00"), None, now));
        assert!(!jamais_connecte(at("2026-11-30T12:00:00+01:00"), None, now), "6 days");
        assert!(!jamais_connecte(at("2026-11-01T12:00:00+01:00"), Some(now), now), "signed in once");
        assert!(recherche_sans_reservation(3, 0));
        assert!(!recherche_sans_reservation(2, 0));
        assert!(!recherche_sans_reservation(9, 1));
        assert!(chiffres_anciens(at("2026-10-07T12:00:00+01:00"), now));
        assert!(!chiffres_anciens(at("2026-10-08T12:00:00+01:00"), now), "59 days");
        assert!(antennes_a_zero(2, 0));
        assert!(!antennes_a_zero(2, 1));
        assert!(!antennes_a_zero(0, 0), "a service without antennes declares its own capacity");
        assert_eq!(personnaliser("Bonjour {prenom},", "Léa"), "Bonjour Léa,");
        assert!(invitation_inutilisee(at("2026-11-29T12:00:00+01:00"), now, true));
        assert!(!invitation_inutilisee(at("2026-11-30T12:00:00+01:00"), now, true), "6 days");
        assert!(!invitation_inutilisee(at("2026-11-01T12:00:00+01:00"), now, false), "used, declined or expired");
        assert!(Raison::ALL.iter().all(|r| Raison::parse(r.code()) == Some(*r) && r.gabarit_par_defaut().1.contains("{prenom}")));
        let codes: Vec<&str> = Raison::ALL.iter().map(|r| r.code()).collect();
        assert_eq!(codes.len(), codes.iter().collect::<std::collections::HashSet<_>>().len());
    }
}
