//! The administrators' review of sign-ups (server only): the waiting list with
//! the liste blanche entries each may be linked to, acceptance, refusal, and
//! the expiry of sign-ups nobody decided.

use super::*;
use crate::accounts::guard::Caller;
use crate::audit::{record, AuditEvent};
use crate::db::entities::{
    departements, directions, etablissements, gestionnaire_membres, gestionnaire_tribunaux, gestionnaires, greffiers, inscriptions,
    liste_blanche, liste_blanche_etablissements, magistrats, regions, tribunaux, users,
};
use crate::notifications::{self, messages};
use crate::territories::approvals::approved_departements_of;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, ExprTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

/// The number of sign-ups waiting (the administrators' home shows it).
pub async fn pending_count(db: &impl ConnectionTrait) -> Result<u64, AppError> {
    Ok(inscriptions::Entity::find().count(db).await?)
}

/// Whether `user_id` is a sign-up not decided yet.
pub async fn is_pending(db: &impl ConnectionTrait, user_id: i32) -> Result<bool, AppError> {
    Ok(inscriptions::Entity::find_by_id(user_id).one(db).await?.is_some())
}

/// The sign-ups waiting, oldest first, with what each declared and, for an
/// individuel or a préposé, the liste blanche entries it may be linked to.
pub async fn pending(db: &DatabaseConnection, caller: &Caller) -> Result<Vec<InscriptionEnAttente>, AppError> {
    caller.require(&Role::ADMIN)?;
    let rows = inscriptions::Entity::find().order_by_asc(inscriptions::Column::CreatedAt).all(db).await?;
    let territoires = territories_of_pending(db).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let Some(user) = users::Entity::find_by_id(row.user_id).one(db).await? else { continue };
        let role = Role::parse(&user.role);
        let gestionnaire = own_gestionnaire(db, user.id).await?;
        let details = declared(db, &user, role, gestionnaire.as_ref(), row.etablissement_id).await?;
        let rattachable = matches!(role, Some(Role::Individuel | Role::Prepose));
        let candidats = match (&gestionnaire, rattachable) {
            (Some(g), true) => candidates(db, &user, g, row.etablissement_id).await?,
            _ => Vec::new(),
        };
        out.push(InscriptionEnAttente {
            user_id: user.id,
            role: user.role.clone(),
            role_label: role.map(|r| r.label().to_string()).unwrap_or_else(|| user.role.clone()),
            nom: format!("{} {}", user.prenom, user.nom),
            email: user.email,
            telephone: user.telephone,
            demandee_le: crate::rules::heure::a_paris(&row.created_at).format("%d/%m/%Y à %H:%M").to_string(),
            details,
            rattachable,
            candidats,
            territoire: territoires.get(&user.id).map(|(t, _)| t.clone()),
            liste_attente: territoires.get(&user.id).is_some_and(|(_, attente)| *attente),
        });
    }
    Ok(out)
}

/// The territory of each waiting sign-up ("59 — Nord") and whether it waits
/// for its territory to open (`rollout::en_liste_attente`), in one query.
async fn territories_of_pending(db: &DatabaseConnection) -> Result<std::collections::HashMap<i32, (String, bool)>, AppError> {
    use sea_orm::Statement;
    let backend = db.get_database_backend();
    let rollout_used = crate::rollout::service::rollout_used(db).await?;
    let sql = format!(
        "WITH c AS ({}) SELECT c.id, dep.code, dep.nom, dp.etat FROM inscriptions i JOIN c ON c.id = i.user_id \
         JOIN departements dep ON dep.code = c.departement LEFT JOIN deploiements dp ON dp.departement_code = dep.code",
        crate::adoption::COMPTES
    );
    let mut out = std::collections::HashMap::new();
    for r in db.query_all_raw(Statement::from_string(backend, sql)).await? {
        let etat: Option<String> = r.try_get("", "etat")?;
        let territoire = format!("{} — {}", r.try_get::<String>("", "code")?, r.try_get::<String>("", "nom")?);
        out.insert(r.try_get::<i32>("", "id")?, (territoire, crate::rollout::en_liste_attente(rollout_used, etat.as_deref())));
    }
    Ok(out)
}

/// The liste blanche entry a sign-up is plainly linked to, for a validation
/// in bulk: `Some(None)` when its role links to none, `Some(Some(id))` when
/// exactly one entry shares its SIRET, address or établissement (a mere name
/// is not enough), `None` when a person must choose.
pub async fn obvious_entry(db: &DatabaseConnection, user_id: i32) -> Result<Option<Option<i32>>, AppError> {
    let Some(user) = users::Entity::find_by_id(user_id).one(db).await? else { return Ok(None) };
    if !matches!(Role::parse(&user.role), Some(Role::Individuel | Role::Prepose)) {
        return Ok(Some(None));
    }
    let Some(g) = own_gestionnaire(db, user.id).await? else { return Ok(None) };
    let etablissement = inscriptions::Entity::find_by_id(user_id).one(db).await?.and_then(|i| i.etablissement_id);
    let strong: Vec<i32> = candidates(db, &user, &g, etablissement)
        .await?
        .into_iter()
        .filter(|c| c.raisons.iter().any(|r| !r.contains("nom")))
        .map(|c| c.id)
        .collect();
    Ok(match strong.as_slice() {
        [id] => Some(Some(*id)),
        _ => None,
    })
}

/// The gestionnaire an individuel or préposé created at sign-up.
async fn own_gestionnaire(db: &impl ConnectionTrait, user_id: i32) -> Result<Option<gestionnaires::Model>, AppError> {
    let Some(membre) = gestionnaire_membres::Entity::find_by_id(user_id).one(db).await? else { return Ok(None) };
    Ok(gestionnaires::Entity::find_by_id(membre.gestionnaire_id).one(db).await?)
}

async fn declared(
    db: &DatabaseConnection,
    user: &users::Model,
    role: Option<Role>,
    g: Option<&gestionnaires::Model>,
    etablissement_id: Option<i32>,
) -> Result<Vec<(String, String)>, AppError> {
    let mut lines: Vec<(String, String)> = Vec::new();
    let tribunal_name = |t: Option<tribunaux::Model>| t.map(|t| format!("{} ({})", t.nom, t.departement_code)).unwrap_or_default();
    match (role, g) {
        (Some(Role::Individuel | Role::Prepose), Some(g)) => {
            if let Some(siret) = &g.siret {
                lines.push(("SIRET".into(), siret.clone()));
            }
            if let Some(id) = etablissement_id {
                if let Some(e) = etablissements::Entity::find_by_id(id).one(db).await? {
                    lines.push(("Établissement".into(), format!("{} — {} ({})", e.nom, e.code_postal, e.departement_code)));
                }
            }
            lines.push(("Adresse".into(), format!("{}, {} ({})", g.adresse, g.code_postal, g.departement_code)));
            lines.push(("Mesures souhaitées".into(), g.mesures_max.to_string()));
            let declared: Vec<i32> = gestionnaire_tribunaux::Entity::find()
                .filter(gestionnaire_tribunaux::Column::GestionnaireId.eq(g.id))
                .all(db)
                .await?
                .into_iter()
                .map(|t| t.tribunal_id)
                .collect();
            if !declared.is_empty() {
                let names: Vec<String> = tribunaux::Entity::find()
                    .filter(tribunaux::Column::Id.is_in(declared))
                    .all(db)
                    .await?
                    .into_iter()
                    .map(|t| tribunal_name(Some(t)))
                    .collect();
                lines.push(("Tribunaux".into(), names.join(", ")));
            }
        }
        (Some(Role::Service), _) => {
            if let Some(m) = gestionnaire_membres::Entity::find_by_id(user.id).one(db).await? {
                if let Some(service) = gestionnaires::Entity::find_by_id(m.gestionnaire_id).one(db).await? {
                    lines.push(("Service".into(), format!("{} ({})", service.nom, service.departement_code)));
                    if !service_has_admin(db, service.id).await? {
                        lines.push(("Administrateur du service".into(), "aucun actif : cette personne le deviendra".into()));
                    }
                }
            }
        }
        (Some(Role::Magistrat | Role::Greffier), _) => {
            let (tribunal_id, cabinet) = match magistrats::Entity::find_by_id(user.id).one(db).await? {
                Some(m) => (Some(m.tribunal_id), m.cabinet),
                None => match greffiers::Entity::find_by_id(user.id).one(db).await? {
                    Some(g) => (Some(g.tribunal_id), g.cabinet),
                    None => (None, None),
                },
            };
            if let Some(id) = tribunal_id {
                lines.push(("Tribunal".into(), tribunal_name(tribunaux::Entity::find_by_id(id).one(db).await?)));
            }
            if let Some(cabinet) = cabinet {
                lines.push(("Cabinet".into(), cabinet));
            }
        }
        (Some(Role::Direction), _) => {
            if let Some(d) = directions::Entity::find_by_id(user.id).one(db).await? {
                let niveau = DIRECTIONS.iter().find(|(k, _)| *k == d.kind).map(|(_, l)| *l).unwrap_or("");
                lines.push(("Direction".into(), format!("{} — {niveau}", d.structure)));
                if let Some(code) = d.region_code {
                    let nom = regions::Entity::find_by_id(code.clone()).one(db).await?.map(|r| r.nom).unwrap_or_default();
                    lines.push(("Région".into(), format!("{nom} ({code})")));
                }
                if let Some(code) = d.departement_code {
                    let nom = departements::Entity::find_by_id(code.clone()).one(db).await?.map(|r| r.nom).unwrap_or_default();
                    lines.push(("Département".into(), format!("{nom} ({code})")));
                }
            }
        }
        _ => {}
    }
    Ok(lines)
}

async fn service_has_admin(db: &impl ConnectionTrait, service_id: i32) -> Result<bool, AppError> {
    let admins: Vec<i32> = gestionnaire_membres::Entity::find()
        .filter(gestionnaire_membres::Column::GestionnaireId.eq(service_id))
        .filter(gestionnaire_membres::Column::Admin.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.user_id)
        .collect();
    Ok(users::Entity::find().filter(users::Column::Id.is_in(admins)).filter(users::Column::Active.eq(true)).count(db).await? > 0)
}

/// Liste blanche entries of the same kind, linked to no gestionnaire, that
/// share the SIRET, the address, the name or (préposé) the établissement.
async fn candidates(
    db: &DatabaseConnection,
    user: &users::Model,
    g: &gestionnaires::Model,
    etablissement_id: Option<i32>,
) -> Result<Vec<Candidat>, AppError> {
    // Case and accents aside ("LEFÈVRE" typed, "Lefèvre" on the list).
    use crate::db::sans_accents;
    use crate::rules::geo::sans_accents as typed;
    let mut matching = Condition::any()
        .add(sans_accents(liste_blanche::Column::Email).eq(typed(&user.email)))
        .add(sans_accents(liste_blanche::Column::Nom).eq(typed(&user.nom)));
    if let Some(siret) = &g.siret {
        matching = matching.add(liste_blanche::Column::Siret.eq(siret.clone()));
    }
    let at_etablissement: Vec<i32> = match etablissement_id {
        Some(id) => liste_blanche_etablissements::Entity::find()
            .filter(liste_blanche_etablissements::Column::EtablissementId.eq(id))
            .all(db)
            .await?
            .into_iter()
            .map(|l| l.liste_blanche_id)
            .collect(),
        None => Vec::new(),
    };
    if !at_etablissement.is_empty() {
        matching = matching.add(liste_blanche::Column::Id.is_in(at_etablissement.clone()));
    }
    let linked = sea_orm::sea_query::Query::select()
        .column(gestionnaires::Column::ListeBlancheId)
        .from(gestionnaires::Entity)
        .and_where(gestionnaires::Column::ListeBlancheId.is_not_null())
        .to_owned();
    let entries = liste_blanche::Entity::find()
        .filter(liste_blanche::Column::Kind.eq(g.kind.as_str()))
        .filter(liste_blanche::Column::Id.not_in_subquery(linked))
        .filter(matching)
        .order_by_asc(liste_blanche::Column::Nom)
        .limit(20)
        .all(db)
        .await?;
    let mut out = Vec::new();
    for e in entries {
        let mut raisons = Vec::new();
        if g.siret.is_some() && e.siret == g.siret {
            raisons.push("même SIRET".to_string());
        }
        if e.email.as_deref().map(str::to_lowercase) == Some(user.email.to_lowercase()) {
            raisons.push("même adresse électronique".to_string());
        }
        if at_etablissement.contains(&e.id) {
            raisons.push("même établissement".to_string());
        }
        if e.nom.to_lowercase() == user.nom.to_lowercase() {
            raisons.push("même nom".to_string());
        }
        let agrements = approved_departements_of(db, e.id).await?.join(", ");
        out.push(Candidat { id: e.id, nom: crate::professionals::display_name(&e.kind, &e.nom, e.prenom.as_deref()), raisons, agrements });
    }
    // The strongest evidence first: SIRET or address before a mere name.
    out.sort_by_key(|c| std::cmp::Reverse(c.raisons.iter().filter(|r| !r.contains("nom")).count()));
    Ok(out)
}

/// Takes the waiting row: the one decision that may act on this sign-up.
pub(crate) async fn take(tx: &DatabaseTransaction, user_id: i32) -> Result<users::Model, AppError> {
    let user = users::Entity::find_by_id(user_id).one(tx).await?.ok_or(AppError::Introuvable)?;
    let taken = inscriptions::Entity::delete_many().filter(inscriptions::Column::UserId.eq(user_id)).exec(tx).await?;
    if taken.rows_affected == 0 {
        return Err(AppError::Conflit("Cette inscription a déjà été traitée.".into()));
    }
    Ok(user)
}

/// Activates a sign-up; links an individuel or préposé to `entry` (same
/// kind, linked to no other gestionnaire) and keeps the tribunals it
/// declared only in the départements where that entry approves it.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn accept(
    db: &DatabaseConnection,
    caller: &Caller,
    user_id: i32,
    entry: Option<i32>,
    base_url: &str,
    ip: Option<String>,
) -> Result<(), AppError> {
    caller.require(&Role::ADMIN)?;
    crate::db::retry_on_conflict(|| {
        let ip = ip.clone();
        async move {
            let tx = crate::db::begin(db).await?;
            let user = take(&tx, user_id).await?;
            let summary = activate(&tx, &user, entry).await?;
            notifications::enqueue(&tx, messages::inscription_validee(&format!("{base_url}/connexion")).pour(&user.email)).await?;
            AuditEvent::by(caller, "inscription.validation").target("user", user.id).summary(summary).ip(ip).record(&tx).await;
            tx.commit().await?;
            Ok(())
        }
    })
    .await
}

/// Activates a taken sign-up (the account and its attachment): links an
/// individuel or préposé to `entry` (same kind, linked to no other
/// gestionnaire) and keeps the tribunals it declared only in the départements
/// where that entry approves it; a service's first member becomes its
/// administrator. Returns what the journal says of it.
pub(crate) async fn activate(tx: &DatabaseTransaction, user: &users::Model, entry: Option<i32>) -> Result<String, AppError> {
    let mut summary = format!("{} <{}> activé", user.role, user.email);
    match Role::parse(&user.role) {
        Some(Role::Individuel | Role::Prepose) => {
            let g = own_gestionnaire(tx, user.id).await?.ok_or(AppError::Introuvable)?;
            if let Some(entry) = entry {
                let refuse = |m: String| AppError::Champs(vec![("liste_blanche_id".into(), m)]);
                let e = liste_blanche::Entity::find_by_id(entry)
                    .one(tx)
                    .await?
                    .ok_or_else(|| refuse(format!("L'entrée n° {entry} n'existe pas dans la liste blanche.")))?;
                if e.kind != g.kind {
                    return Err(refuse(format!("L'entrée n° {entry} n'est pas celle d'un mandataire de ce type.")));
                }
                if let Some(other) = gestionnaires::Entity::find()
                    .filter(gestionnaires::Column::ListeBlancheId.eq(entry))
                    .filter(gestionnaires::Column::Id.ne(g.id))
                    .one(tx)
                    .await?
                {
                    return Err(refuse(format!(
                        "L'entrée n° {entry} est déjà rattachée à {}.",
                        crate::professionals::display_name(&other.kind, &other.nom, other.prenom.as_deref())
                    )));
                }
                gestionnaires::Entity::update_many()
                    .col_expr(gestionnaires::Column::ListeBlancheId, Expr::value(entry))
                    .col_expr(gestionnaires::Column::UpdatedAt, Expr::value(chrono::Utc::now().fixed_offset()))
                    .filter(gestionnaires::Column::Id.eq(g.id))
                    .exec(tx)
                    .await?;
                let approved = approved_departements_of(tx, entry).await?;
                let outside: Vec<i32> = tribunaux::Entity::find()
                    .filter(tribunaux::Column::DepartementCode.is_not_in(approved.clone()))
                    .all(tx)
                    .await?
                    .into_iter()
                    .map(|t| t.id)
                    .collect();
                gestionnaire_tribunaux::Entity::delete_many()
                    .filter(gestionnaire_tribunaux::Column::GestionnaireId.eq(g.id))
                    .filter(gestionnaire_tribunaux::Column::TribunalId.is_in(outside))
                    .exec(tx)
                    .await?;
                summary.push_str(&format!(", rattaché à l'entrée n° {entry} de la liste blanche (agréé : {})", approved.join(", ")));
            } else {
                summary.push_str(", sans rattachement à la liste blanche");
            }
        }
        Some(Role::Service) => {
            if let Some(m) = gestionnaire_membres::Entity::find_by_id(user.id).one(tx).await? {
                if !service_has_admin(tx, m.gestionnaire_id).await? {
                    gestionnaire_membres::Entity::update_many()
                        .col_expr(gestionnaire_membres::Column::Admin, Expr::value(true))
                        .filter(gestionnaire_membres::Column::UserId.eq(user.id))
                        .exec(tx)
                        .await?;
                    summary.push_str(", administrateur du service (il n'en avait aucun)");
                }
            }
        }
        _ => {}
    }
    users::Entity::update_many()
        .col_expr(users::Column::Active, Expr::value(true))
        .col_expr(users::Column::ValideAt, Expr::value(chrono::Utc::now().fixed_offset()))
        .col_expr(users::Column::UpdatedAt, Expr::value(chrono::Utc::now().fixed_offset()))
        .filter(users::Column::Id.eq(user.id))
        .exec(tx)
        .await?;
    Ok(summary)
}

/// Whether `entry` may be linked to the sign-up of `user_id`: it exists and no
/// other gestionnaire holds it.
pub(crate) async fn entry_free(db: &impl ConnectionTrait, entry: i32, user_id: i32) -> Result<bool, AppError> {
    let own = own_gestionnaire(db, user_id).await?.map(|g| g.id);
    let other = gestionnaires::Entity::find()
        .filter(gestionnaires::Column::ListeBlancheId.eq(entry))
        .filter(gestionnaires::Column::Id.ne(own.unwrap_or_default()))
        .one(db)
        .await?;
    Ok(other.is_none() && liste_blanche::Entity::find_by_id(entry).one(db).await?.is_some())
}

/// Refuses a sign-up with a reason: the person is mailed it; the account
/// and what it created (its own gestionnaire) are deleted.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn refuse(
    db: &DatabaseConnection,
    caller: &Caller,
    user_id: i32,
    motif: &str,
    base_url: &str,
    ip: Option<String>,
) -> Result<(), AppError> {
    caller.require(&Role::ADMIN)?;
    let motif = motif.trim();
    if motif.is_empty() {
        return Err(AppError::Champs(vec![("motif".into(), "Indiquez le motif du refus : il est envoyé à la personne.".into())]));
    }
    if motif.chars().count() > MOTIF_MAX {
        return Err(AppError::Champs(vec![("motif".into(), format!("Le motif compte au plus {MOTIF_MAX} caractères."))]));
    }
    crate::db::retry_on_conflict(|| {
        let ip = ip.clone();
        async move {
            let tx = crate::db::begin(db).await?;
            let user = take(&tx, user_id).await?;
            delete_account(&tx, &user).await?;
            let lien = format!("{base_url}/inscription");
            notifications::enqueue(&tx, messages::inscription_refusee(motif, &lien).pour(&user.email)).await?;
            AuditEvent::by(caller, "inscription.refus")
                .target("user", user.id)
                .summary(format!("{} <{}> : {motif}", user.role, user.email))
                .ip(ip)
                .record(&tx)
                .await;
            tx.commit().await?;
            Ok(())
        }
    })
    .await
}

/// Deletes a taken sign-up's account and what it created: its own
/// gestionnaire, never approved, which nothing else uses.
async fn delete_account(tx: &DatabaseTransaction, user: &users::Model) -> Result<(), AppError> {
    if matches!(Role::parse(&user.role), Some(Role::Individuel | Role::Prepose)) {
        if let Some(g) = own_gestionnaire(tx, user.id).await? {
            gestionnaires::Entity::delete_by_id(g.id).exec(tx).await?;
        }
    }
    users::Entity::delete_by_id(user.id).exec(tx).await?;
    Ok(())
}

/// The retention job: sign-ups still undecided `mois` months after they were
/// asked (`avant`) are removed as a refusal would remove them, and the
/// person is told it may ask again. Returns how many.
pub async fn expire_undecided(
    tx: &DatabaseTransaction,
    avant: chrono::DateTime<chrono::Utc>,
    mois: u32,
    base_url: &str,
) -> Result<u64, AppError> {
    let waiting = inscriptions::Entity::find().filter(inscriptions::Column::CreatedAt.lt(avant.fixed_offset())).all(tx).await?;
    let motif = format!("votre demande est restée sans décision pendant {mois} mois.");
    let lien = format!("{base_url}/inscription");
    for inscription in &waiting {
        let user = take(tx, inscription.user_id).await?;
        delete_account(tx, &user).await?;
        notifications::enqueue(tx, messages::inscription_refusee(&motif, &lien).pour(&user.email)).await?;
        let event = AuditEvent::system("inscription.expiration").target("user", user.id).summary(format!(
            "{} <{}> : sans décision depuis le {}",
            user.role,
            user.email,
            inscription.created_at.format("%d/%m/%Y")
        ));
        record(tx, event).await;
    }
    Ok(waiting.len() as u64)
}
