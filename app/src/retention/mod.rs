//! How long personal data is kept (RGPD), and the daily job that removes what
//! is past its time. The page `/donnees-personnelles` reads the same durations.

pub mod page;

use serde::{Deserialize, Serialize};

/// Retention durations. The inactivity ones are set by the server's
/// configuration (`EMJPM_INACTIVITE_AVERTISSEMENT_MOIS`,
/// `EMJPM_INACTIVITE_DESACTIVATION_MOIS`); the others are the documented rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conservation {
    /// A closed measure (and its états and journal) after its date de fin.
    pub mesures_eteintes_ans: u32,
    /// Sign-in, sign-out and failed sign-in events of the audit log.
    pub journal_connexions_mois: u32,
    /// Every other audit event.
    pub audit_ans: u32,
    /// A sent e-mail, in the outbox.
    pub courriels_jours: u32,
    /// An account without sign-in is warned by e-mail after…
    pub avertissement_inactivite_mois: u32,
    /// …and deactivated after (never an administrator's).
    pub desactivation_inactivite_mois: u32,
    /// A sign-up no administrator decided is removed after (the person is told).
    pub inscriptions_sans_decision_mois: u32,
    /// An avis ("Donner mon avis"), with the team's answers.
    pub avis_mois: u32,
    /// The useful actions of each account and the daily page views.
    pub usages_mois: u32,
}

impl Default for Conservation {
    fn default() -> Self {
        Conservation {
            mesures_eteintes_ans: 5,
            journal_connexions_mois: 12,
            audit_ans: 5,
            courriels_jours: 30,
            avertissement_inactivite_mois: 6,
            desactivation_inactivite_mois: 7,
            inscriptions_sans_decision_mois: 3,
            avis_mois: 24,
            usages_mois: crate::usage::CONSERVATION_MOIS,
        }
    }
}

impl Conservation {
    /// Refuses a configuration where deactivation would not follow the warning.
    pub fn with_inactivity(self, avertissement: u32, desactivation: u32) -> Result<Conservation, String> {
        if avertissement == 0 || desactivation <= avertissement {
            return Err(format!(
                "durées d'inactivité incohérentes : avertissement après {avertissement} mois, désactivation après \
                 {desactivation} mois (la désactivation doit venir après l'avertissement, qui vient après au moins un mois)"
            ));
        }
        Ok(Conservation { avertissement_inactivite_mois: avertissement, desactivation_inactivite_mois: desactivation, ..self })
    }
}

/// The audit actions that make the connection log.
pub const ACTIONS_CONNEXION: [&str; 4] = ["connexion", "connexion_echec", "connexion_limitee", "deconnexion"];

#[cfg(feature = "ssr")]
pub use job::{run, Bilan};

#[cfg(feature = "ssr")]
mod job {
    use super::{Conservation, ACTIONS_CONNEXION};
    use crate::audit::AuditEvent;
    use crate::db::entities::{
        actions_semaine, audit_events, avis, courriels, invitations, mesures, pourquoi, relances, sessions, usages, users, vues_pages,
    };
    use crate::notifications::{self, messages};
    use chrono::{DateTime, Months, Utc};
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter};

    /// What one run removed or did.
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    pub struct Bilan {
        pub mesures: u64,
        pub journal_connexions: u64,
        pub audit: u64,
        pub sessions: u64,
        pub courriels: u64,
        pub comptes_avertis: u64,
        pub comptes_desactives: u64,
        pub inscriptions: u64,
        pub avis: u64,
        pub usages: u64,
    }

    impl Bilan {
        pub fn phrase(&self) -> String {
            use crate::rules::texte::compte;
            let n = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
            format!(
                "{}, {} et {}, {} et {}, {}, {}, {}, {}, {}.",
                compte(n(self.mesures), "mesure éteinte supprimée", "mesures éteintes supprimées"),
                compte(n(self.journal_connexions), "événement de connexion supprimé", "événements de connexion supprimés"),
                compte(n(self.audit), "autre événement d'audit supprimé", "autres événements d'audit supprimés"),
                compte(n(self.sessions), "session expirée effacée", "sessions expirées effacées"),
                compte(n(self.courriels), "courriel envoyé effacé", "courriels envoyés effacés"),
                compte(n(self.comptes_avertis), "compte inactif averti", "comptes inactifs avertis"),
                compte(n(self.comptes_desactives), "désactivé", "désactivés"),
                compte(n(self.inscriptions), "inscription sans décision supprimée", "inscriptions sans décision supprimées"),
                compte(n(self.avis), "avis supprimé", "avis supprimés"),
                compte(
                    n(self.usages),
                    "action, compte de pages vues, relance ou invitation non utilisée supprimé",
                    "actions, comptes de pages vues, relances et invitations non utilisées supprimés"
                ),
            )
        }
    }

    fn months_before(now: DateTime<Utc>, months: u32) -> DateTime<Utc> {
        now.checked_sub_months(Months::new(months)).unwrap_or(now)
    }

    /// Accounts whose last sign-in (or creation, if never) is before `limit`.
    fn inactive_since(limit: DateTime<Utc>) -> Condition {
        let limit = limit.fixed_offset();
        Condition::any()
            .add(users::Column::LastLoginAt.lt(limit))
            .add(Condition::all().add(users::Column::LastLoginAt.is_null()).add(users::Column::CreatedAt.lt(limit)))
    }

    pub async fn run(db: &DatabaseConnection, conservation: &Conservation, now: DateTime<Utc>, base_url: &str) -> Result<Bilan, DbErr> {
        let tx = crate::db::begin(db).await?;
        let mut bilan = Bilan::default();
        // A closed measure goes with its états and journal (ON DELETE CASCADE);
        // closed measures count in no counter, and their anonymous part of the
        // figures stays (`statistiques::agregats`: past years as published).
        let fin = months_before(now, conservation.mesures_eteintes_ans * 12).date_naive();
        bilan.mesures = mesures::Entity::delete_many()
            .filter(mesures::Column::Statut.eq("eteinte"))
            .filter(mesures::Column::DateFin.lt(fin))
            .exec(&tx)
            .await?
            .rows_affected;
        bilan.journal_connexions = audit_events::Entity::delete_many()
            .filter(audit_events::Column::Action.is_in(ACTIONS_CONNEXION))
            .filter(audit_events::Column::At.lt(months_before(now, conservation.journal_connexions_mois).fixed_offset()))
            .exec(&tx)
            .await?
            .rows_affected;
        bilan.audit = audit_events::Entity::delete_many()
            .filter(audit_events::Column::At.lt(months_before(now, conservation.audit_ans * 12).fixed_offset()))
            .exec(&tx)
            .await?
            .rows_affected;
        bilan.sessions =
            sessions::Entity::delete_many().filter(sessions::Column::ExpiresAt.lt(now.fixed_offset())).exec(&tx).await?.rows_affected;
        bilan.courriels = courriels::Entity::delete_many()
            .filter(courriels::Column::EnvoyeAt.lt((now - chrono::Duration::days(conservation.courriels_jours.into())).fixed_offset()))
            .exec(&tx)
            .await?
            .rows_affected;
        // An avis goes with the team's answers (ON DELETE CASCADE).
        bilan.avis = avis::Entity::delete_many()
            .filter(avis::Column::CreatedAt.lt(months_before(now, conservation.avis_mois).fixed_offset()))
            .exec(&tx)
            .await?
            .rows_affected;
        let fin_usages = months_before(now, conservation.usages_mois);
        // The weeks of the actions go with the actions: nothing older than
        // the usage kept is known of anyone (not counted apart: they are the
        // actions' summary, not a record of their own).
        actions_semaine::Entity::delete_many().filter(actions_semaine::Column::DerniereAt.lt(fin_usages.fixed_offset())).exec(&tx).await?;
        bilan.usages = usages::Entity::delete_many()
            .filter(usages::Column::At.lt(fin_usages.fixed_offset()))
            .exec(&tx)
            .await?
            .rows_affected
            + vues_pages::Entity::delete_many().filter(vues_pages::Column::Jour.lt(fin_usages.date_naive())).exec(&tx).await?.rows_affected
            + relances::Entity::delete_many()
                .filter(relances::Column::CreatedAt.lt(fin_usages.fixed_offset()))
                .exec(&tx)
                .await?
                .rows_affected
            // An invitation nobody used, imported that long ago (a declined
            // one keeps its address: the refusal is honoured for good).
            + pourquoi::Entity::delete_many()
                .filter(pourquoi::Column::CreatedAt.lt(fin_usages.fixed_offset()))
                .exec(&tx)
                .await?
                .rows_affected
            + invitations::Entity::delete_many()
                .filter(invitations::Column::UserId.is_null())
                .filter(invitations::Column::RefuseeAt.is_null())
                .filter(invitations::Column::ImporteeAt.lt(fin_usages.fixed_offset()))
                .exec(&tx)
                .await?
                .rows_affected;
        bilan.comptes_avertis = warn_inactive(&tx, conservation, now, base_url).await?;
        bilan.comptes_desactives = deactivate_inactive(&tx, conservation, now).await?;
        let mois = conservation.inscriptions_sans_decision_mois;
        bilan.inscriptions = crate::accounts::inscription::expire_undecided(&tx, months_before(now, mois), mois, base_url)
            .await
            .map_err(|err| DbErr::Custom(err.to_string()))?;
        tx.commit().await?;
        Ok(bilan)
    }

    async fn warn_inactive(tx: &impl ConnectionTrait, c: &Conservation, now: DateTime<Utc>, base_url: &str) -> Result<u64, DbErr> {
        let comptes = users::Entity::find()
            .filter(users::Column::Active.eq(true))
            .filter(users::Column::Role.ne("admin"))
            .filter(users::Column::AvertiInactiviteAt.is_null())
            .filter(inactive_since(months_before(now, c.avertissement_inactivite_mois)))
            .all(tx)
            .await?;
        let delai = c.desactivation_inactivite_mois - c.avertissement_inactivite_mois;
        let message = messages::inactivite(c.avertissement_inactivite_mois, delai, &format!("{base_url}/connexion"));
        for compte in &comptes {
            notifications::enqueue(tx, message.pour(&compte.email)).await?;
        }
        let ids: Vec<i32> = comptes.iter().map(|u| u.id).collect();
        users::Entity::update_many()
            .col_expr(users::Column::AvertiInactiviteAt, Expr::value(now.fixed_offset()))
            .filter(users::Column::Id.is_in(ids))
            .exec(tx)
            .await?;
        Ok(comptes.len() as u64)
    }

    /// Only accounts warned at least the notice period ago (the difference of
    /// the two durations) are deactivated.
    async fn deactivate_inactive(tx: &impl ConnectionTrait, c: &Conservation, now: DateTime<Utc>) -> Result<u64, DbErr> {
        let preavis = months_before(now, c.desactivation_inactivite_mois - c.avertissement_inactivite_mois);
        let comptes = users::Entity::find()
            .filter(users::Column::Active.eq(true))
            .filter(users::Column::Role.ne("admin"))
            .filter(users::Column::AvertiInactiviteAt.lte(preavis.fixed_offset()))
            .filter(inactive_since(months_before(now, c.desactivation_inactivite_mois)))
            .all(tx)
            .await?;
        for compte in &comptes {
            users::Entity::update_many()
                .col_expr(users::Column::Active, Expr::value(false))
                .col_expr(users::Column::UpdatedAt, Expr::value(now.fixed_offset()))
                .filter(users::Column::Id.eq(compte.id))
                .exec(tx)
                .await?;
            sessions::Entity::delete_many().filter(sessions::Column::UserId.eq(compte.id)).exec(tx).await?;
            AuditEvent::system("compte_desactive_inactivite")
                .target("user", compte.id)
                .summary(format!("sans connexion depuis {} mois", c.desactivation_inactivite_mois))
                .record(tx)
                .await;
        }
        Ok(comptes.len() as u64)
    }
}
