//! `/admin/journal`: the administrators search the audit log — who did what,
//! to what, when, from where — by person, action, target, period and IP
//! address, newest first, 50 a page. `/direction/journal`: a direction the
//! same, restricted to the events whose target lies in its territory (its
//! tribunals' measures, the professionals and liste blanche entries approved
//! there, their antennes, the accounts attached there). Reading it is itself
//! audited.

use crate::errors::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use crate::rules::pagination::PAR_PAGE;

/// What a direction reads in its journal: the acts on its territory's measures,
/// professionals, antennes, liste blanche and sign-ups — never anyone's
/// connections, passwords or second factor, nor an IP address.
pub const ACTIONS_DES_DIRECTIONS: [&str; 6] = ["mesure.", "gestionnaire.", "antenne.", "liste_blanche.", "membre.", "inscription."];

/// An action code as people read it ("mesure.cloturee" → "mesure clôturée");
/// an unknown code is shown as stored.
pub fn action_en_clair(action: &str) -> String {
    let phrase = match action {
        "mesure.reservation" => "mesure réservée",
        "mesure.creee" => "mesure enregistrée",
        "mesure.acceptee" => "mesure acceptée",
        "mesure.refusee" => "réservation refusée",
        "mesure.annulee" => "réservation annulée",
        "mesure.modifiee" => "réservation modifiée",
        "mesure.expiree" => "réservation expirée",
        "mesure.etat" => "nouvel état de la mesure",
        "mesure.cloturee" => "mesure clôturée",
        "mesure.reactivee" => "mesure réactivée",
        "gestionnaire.capacite" => "capacité modifiée",
        "gestionnaire.profil" => "profil modifié",
        "gestionnaire.chiffres_confirmes" => "chiffres confirmés",
        "antenne.creation" => "antenne ajoutée",
        "antenne.modification" => "antenne modifiée",
        "antenne.suppression" => "antenne supprimée",
        "antenne.capacite" => "capacité d'antenne modifiée",
        "liste_blanche.creation" => "agrément ajouté",
        "liste_blanche.modification" => "agrément modifié",
        "membre.invitation" => "membre invité",
        "membre.retrait" => "membre retiré",
        "membre.administrateur" => "membre nommé administrateur",
        "inscription.demande" => "inscription demandée",
        "inscription.invitation" => "inscription par une invitation",
        "inscription.validation" => "inscription validée",
        "inscription.refus" => "inscription refusée",
        "inscription.expiration" => "inscription expirée",
        "connexion" => "connexion",
        "connexion_echec" => "connexion refusée (mot de passe)",
        "connexion_echec_code" => "connexion refusée (code)",
        "connexion_limitee" => "connexion ralentie",
        "deconnexion" => "déconnexion",
        "deconnexion_partout" => "déconnexion de tous les appareils",
        "mot_de_passe_change" => "mot de passe changé",
        "mot_de_passe_lien_envoye" => "lien de nouveau mot de passe envoyé",
        "mot_de_passe_reinitialise" => "mot de passe réinitialisé",
        "double_authentification.activation" => "double authentification activée",
        "double_authentification.desactivation" => "double authentification désactivée",
        "double_authentification.reinitialisation" => "double authentification réinitialisée",
        "compte_desactive" => "compte désactivé",
        "compte_reactive" => "compte réactivé",
        "compte_desactive_inactivite" => "compte désactivé (inactivité)",
        "compte_rattachement" => "rattachement du compte modifié",
        "compte_territoire" => "territoire du compte modifié",
        "incarnation.debut" => "connexion « en tant que » commencée",
        "incarnation.fin" => "connexion « en tant que » terminée",
        "journal.consultation" => "journal consulté",
        "preferences_courriels" => "préférences de courriels modifiées",
        other => return other.to_string(),
    };
    phrase.to_string()
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LigneJournal {
    /// Paris time, `28/11/2026 09:14:03`.
    pub quand: String,
    /// "Prénom Nom <adresse>", or "système" for the jobs.
    pub acteur: String,
    pub role: Option<String>,
    pub action: String,
    /// `mesure 123`, `user 7`…
    pub cible: Option<String>,
    pub resume: Option<String>,
    pub ip: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PageJournal {
    pub total: u64,
    pub page: u64,
    pub lignes: Vec<LigneJournal>,
}

/// The filters, as typed in the URL.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct FiltresJournal {
    /// Part of the actor's address or name.
    pub acteur: Option<String>,
    /// An action or its beginning (`mesure.`, `connexion`).
    pub action: Option<String>,
    /// Target kind (`mesure`, `user`, `gestionnaire`, `antenne`).
    pub cible: Option<String>,
    /// Target id.
    pub cible_id: Option<String>,
    /// `AAAA-MM-JJ`, Paris days.
    pub du: Option<String>,
    pub au: Option<String>,
    pub ip: Option<String>,
    pub page: Option<String>,
}

#[leptos::server(prefix = "/api/fn", endpoint = "journal_admin")]
pub async fn load_journal(query: String) -> Result<PageJournal, AppError> {
    use crate::rules::roles::Role;
    let caller = crate::accounts::guard::caller_with_role(&Role::PILOTAGE).await?;
    let filtres: FiltresJournal = serde_urlencoded::from_str(query.trim_start_matches('?'))
        .map_err(|_| AppError::Invalide(crate::errors::FILTRES_ILLISIBLES.into()))?;
    let db = crate::state::app_state()?.db;
    service::search(&db, &caller, &filtres).await.inspect_err(AppError::set_response_status)
}

mod page;
#[cfg(feature = "ssr")]
pub mod service;

pub use page::JournalPage;
