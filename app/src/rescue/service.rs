//! Finding the users to rescue (administrators): one query per reason for
//! its candidates, the reason's rule (`rescue`) deciding, then one query for
//! who they are and one for what they last did.

use super::{ARelancer, ListeARelancer, NombreParRaison, Raison};
use crate::accounts::guard::Caller;
use crate::errors::AppError;
use crate::rules::roles::Role;
use chrono::{DateTime, Duration, FixedOffset, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, QueryResult, Statement, Value};
use std::collections::HashMap;

/// Runs `sql` (placeholders `{1}`, `{2}`… for `values`) on either database.
async fn rows(db: &impl ConnectionTrait, sql: &str, values: Vec<Value>) -> Result<Vec<QueryResult>, AppError> {
    let backend = db.get_database_backend();
    let mut sql = sql.to_string();
    for i in (1..=values.len()).rev() {
        sql = sql.replace(&format!("{{{i}}}"), &crate::db::parametre(backend, i));
    }
    Ok(db.query_all_raw(Statement::from_sql_and_values(backend, sql, values)).await?)
}

/// (account, since) pairs of one query's rows.
fn pairs(rows: Vec<QueryResult>) -> Result<Vec<(i32, DateTime<FixedOffset>)>, AppError> {
    rows.into_iter()
        .map(|r| Ok((r.try_get::<i32>("", "user_id")?, r.try_get::<DateTime<FixedOffset>>("", "depuis")?)))
        .collect::<Result<_, sea_orm::DbErr>>()
        .map_err(AppError::from)
}

/// One person of the list before it is described: an account found by a
/// reason's rule, or an invitation left unused (already described, from its
/// own row).
enum Entree {
    Compte(Raison, i32, DateTime<FixedOffset>),
    Invitation(ARelancer),
}

impl Entree {
    fn raison(&self) -> &str {
        match self {
            Entree::Compte(raison, _, _) => raison.code(),
            Entree::Invitation(personne) => &personne.raison,
        }
    }
}

/// Everyone to rescue in the list's order — the team's backlog, then the
/// invitations left unused, then the other reasons, the oldest first —
/// found but not yet described.
async fn entrees(db: &DatabaseConnection, now: DateTime<FixedOffset>) -> Result<Vec<Entree>, AppError> {
    let mut out: Vec<Entree> = candidates(db, now).await?.into_iter().map(|(r, id, depuis)| Entree::Compte(r, id, depuis)).collect();
    let backlog = out.iter().take_while(|e| e.raison() == Raison::InscriptionEnAttente.code()).count();
    out.splice(backlog..backlog, unused_invitations(db, now).await?.into_iter().map(Entree::Invitation));
    Ok(out)
}

/// Describes the people of a slice of the list, in its order: the accounts
/// of each run between invitations in one go (two queries).
async fn decrire(db: &DatabaseConnection, tranche: impl IntoIterator<Item = Entree>) -> Result<Vec<ARelancer>, AppError> {
    let mut out = Vec::new();
    let mut comptes = Vec::new();
    for entree in tranche {
        match entree {
            Entree::Compte(raison, id, depuis) => comptes.push((raison, id, depuis)),
            Entree::Invitation(personne) => {
                out.extend(describe(db, std::mem::take(&mut comptes)).await?);
                out.push(personne);
            }
        }
    }
    out.extend(describe(db, comptes).await?);
    Ok(out)
}

/// The people to rescue for `GET /api/v1/a-relancer`, [`PAR_PAGE`] at a
/// time (`page`, from 1; past the end, none), of one reason or of all in
/// the list's order; with how many there are in all.
///
/// [`PAR_PAGE`]: crate::rules::pagination::PAR_PAGE
#[tracing::instrument(skip_all, err)]
pub async fn list(
    db: &DatabaseConnection,
    caller: &Caller,
    raison: Option<&str>,
    page: Option<&str>,
) -> Result<(u64, Vec<ARelancer>), AppError> {
    use crate::rules::pagination::{page_demandee, PAR_PAGE};
    caller.require(&Role::ADMIN)?;
    let raison = raison_demandee(raison)?;
    let now = Utc::now().fixed_offset();
    let mut found = entrees(db, now).await?;
    if let Some(code) = &raison {
        found.retain(|e| e.raison() == code);
    }
    let total = found.len() as u64;
    let skip = ((page_demandee(page) - 1) * PAR_PAGE) as usize;
    Ok((total, decrire(db, found.into_iter().skip(skip).take(PAR_PAGE as usize)).await?))
}

/// The reason asked for by `?raison=`: none (every reason), or a code of the
/// list — another is refused in French.
fn raison_demandee(raison: Option<&str>) -> Result<Option<String>, AppError> {
    match raison.map(str::trim).filter(|r| !r.is_empty()) {
        Some(code) if super::ordre_des_raisons().iter().any(|(c, _)| *c == code) => Ok(Some(code.to_string())),
        Some(code) => Err(AppError::Invalide(format!("Raison inconnue : « {code} ». Choisissez une raison de la liste."))),
        None => Ok(None),
    }
}

/// The list as the page shows it: how many people each reason holds, and
/// the people of one reason (`raison`, else the first holding someone), a
/// page (`page`) at a time — only those shown are described.
#[tracing::instrument(skip_all, err)]
pub async fn page(db: &DatabaseConnection, caller: &Caller, raison: Option<&str>, page: Option<&str>) -> Result<ListeARelancer, AppError> {
    use crate::rules::pagination::{page_affichee, page_demandee, PAR_PAGE};
    caller.require(&Role::ADMIN)?;
    let demandee = raison_demandee(raison)?;
    let now = Utc::now().fixed_offset();
    let found = entrees(db, now).await?;
    let nombre = |code: &str| found.iter().filter(|e| e.raison() == code).count() as u64;
    let raisons: Vec<NombreParRaison> = super::ordre_des_raisons()
        .into_iter()
        .map(|(code, libelle)| NombreParRaison { raison: code.to_string(), libelle: libelle.to_string(), nombre: nombre(code) })
        .filter(|r| r.nombre > 0)
        .collect();
    let Some(choisie) = demandee.or_else(|| raisons.first().map(|r| r.raison.clone())) else {
        return Ok(ListeARelancer { raisons, raison: None, page: 1, total: 0, personnes: Vec::new() });
    };
    let total = nombre(&choisie);
    let page = page_affichee(page_demandee(page), total);
    let skip = ((page - 1) * PAR_PAGE) as usize;
    let shown = found.into_iter().filter(|e| e.raison() == choisie).skip(skip).take(PAR_PAGE as usize);
    let personnes = decrire(db, shown).await?;
    Ok(ListeARelancer { raisons, raison: Some(choisie), page, total, personnes })
}

/// The accounts each reason finds, minus those followed after a nudge for
/// it: one query per reason, each reason's rule deciding; the team's
/// backlog first, then the oldest first.
async fn candidates(db: &DatabaseConnection, now: DateTime<FixedOffset>) -> Result<Vec<(Raison, i32, DateTime<FixedOffset>)>, AppError> {
    let days = |n: i64| -> Value { (now - Duration::days(n)).into() };
    let mut found: Vec<(Raison, i32, DateTime<FixedOffset>)> = Vec::new();

    // Sign-ups waiting for the team (the working days decided by the rule).
    for (user, since) in
        pairs(rows(db, "SELECT user_id, created_at AS depuis FROM inscriptions WHERE created_at <= {1}", vec![days(2)]).await?)?
    {
        if super::inscription_en_retard(since, now) {
            found.push((Raison::InscriptionEnAttente, user, since));
        }
    }
    // Validated, never signed in.
    let sql = "SELECT u.id AS user_id, u.created_at AS depuis FROM users u \
               WHERE u.active AND u.role <> 'admin' AND u.last_login_at IS NULL AND u.created_at <= {1} \
               AND NOT EXISTS (SELECT 1 FROM inscriptions i WHERE i.user_id = u.id)";
    for (user, since) in pairs(rows(db, sql, vec![days(super::JAMAIS_CONNECTE_JOURS)]).await?)? {
        if super::jamais_connecte(since, None, now) {
            found.push((Raison::JamaisConnecte, user, since));
        }
    }
    // Access lost: blocked (an unlock link is pending), or a reset link asked
    // for in the last 30 days, left unused, and no sign-in since.
    let mut perdus: HashMap<i32, DateTime<FixedOffset>> = HashMap::new();
    let sql = "SELECT user_id, MIN(expires_at) AS depuis FROM deverrouillages WHERE expires_at > {1} GROUP BY user_id";
    for (user, expires) in pairs(rows(db, sql, vec![now.into()]).await?)? {
        // Blocked since the link was mailed (it lasts an hour).
        perdus.insert(user, expires - Duration::minutes(crate::accounts::throttle::DEVERROUILLAGE_MINUTES));
    }
    let sql = "SELECT j.user_id, MIN(j.created_at) AS depuis FROM jetons_mot_de_passe j JOIN users u ON u.id = j.user_id \
               WHERE j.utilise_at IS NULL AND j.expires_at <= {1} AND j.created_at >= {2} \
               AND (u.last_login_at IS NULL OR u.last_login_at < j.created_at) GROUP BY j.user_id";
    for (user, since) in pairs(rows(db, sql, vec![now.into(), days(30)]).await?)? {
        let earliest = perdus.get(&user).map_or(since, |other| since.min(*other));
        perdus.insert(user, earliest);
    }
    found.extend(perdus.into_iter().map(|(user, since)| (Raison::AccesPerdu, user, since)));
    // Judges and greffiers who search and never reserve.
    // Those are first found from the actions by week (a few rows per
    // account), then only their searches of the window are counted.
    let sql = "SELECT a.user_id, MIN(a.at) AS depuis, COUNT(*) AS recherches FROM usages a \
               WHERE a.action = 'recherche' AND a.at >= {1} AND a.user_id IN ( \
                 SELECT d.user_id FROM actions_semaine d JOIN users u ON u.id = d.user_id \
                 WHERE d.action = 'recherche' AND d.derniere_at >= {1} AND u.role IN ('magistrat', 'greffier') \
                 AND NOT EXISTS (SELECT 1 FROM actions_semaine r WHERE r.user_id = d.user_id AND r.action = 'reservation') \
                 AND NOT EXISTS (SELECT 1 FROM mesures m WHERE m.reservee_par = d.user_id)) \
               GROUP BY a.user_id";
    for row in rows(db, sql, vec![days(super::RECHERCHES_FENETRE_JOURS)]).await? {
        let recherches: i64 = row.try_get("", "recherches")?;
        if super::recherche_sans_reservation(recherches, 0) {
            found.push((Raison::RechercheSansReservation, row.try_get("", "user_id")?, row.try_get("", "depuis")?));
        }
    }
    // Professionals with a reservation left unanswered: each active member.
    let sql = "SELECT gm.user_id, MIN(m.created_at) AS depuis FROM mesures m \
               JOIN gestionnaire_membres gm ON gm.gestionnaire_id = m.gestionnaire_id JOIN users u ON u.id = gm.user_id \
               WHERE m.statut = 'en_attente' AND m.created_at <= {1} AND u.active GROUP BY gm.user_id";
    for (user, since) in pairs(rows(db, sql, vec![days(3)]).await?)? {
        if super::reservation_en_retard(since, now) {
            found.push((Raison::ReservationSansReponse, user, since));
        }
    }
    // Approved professionals whose figures went stale: each active member.
    let sql = "SELECT gm.user_id, g.derniere_mise_a_jour AS depuis FROM gestionnaires g \
               JOIN gestionnaire_membres gm ON gm.gestionnaire_id = g.id JOIN users u ON u.id = gm.user_id \
               WHERE g.liste_blanche_id IS NOT NULL AND g.derniere_mise_a_jour <= {1} AND u.active";
    for (user, since) in pairs(rows(db, sql, vec![days(super::CHIFFRES_JOURS)]).await?)? {
        if super::chiffres_anciens(since, now) {
            found.push((Raison::ChiffresAnciens, user, since));
        }
    }
    // Services whose antennes all declare 0: their administrators.
    let sql = "SELECT gm.user_id, MAX(a.derniere_mise_a_jour) AS depuis, COUNT(a.id) AS antennes, \
                      SUM(CASE WHEN a.mesures_max > 0 THEN 1 ELSE 0 END) AS ouvertes \
               FROM gestionnaires g JOIN antennes a ON a.gestionnaire_id = g.id \
               JOIN gestionnaire_membres gm ON gm.gestionnaire_id = g.id AND gm.admin JOIN users u ON u.id = gm.user_id \
               WHERE g.type = 'service' AND u.active GROUP BY gm.user_id";
    for row in rows(db, sql, vec![]).await? {
        let (antennes, ouvertes): (i64, i64) = (row.try_get("", "antennes")?, row.try_get("", "ouvertes")?);
        if super::antennes_a_zero(antennes, ouvertes) {
            found.push((Raison::AntennesAZero, row.try_get("", "user_id")?, row.try_get("", "depuis")?));
        }
    }
    // Those nudged for a reason are followed, out of the list, for a while.
    let suivis = super::relance::en_suivi(db).await?;
    found.retain(|(raison, user, _)| !suivis.iter().any(|(u, r)| u == user && r == raison.code()));
    found.sort_by(|a, b| a.0.cmp(&b.0).then(a.2.cmp(&b.2)).then(a.1.cmp(&b.1)));
    Ok(found)
}

/// The invitations mailed at least 7 days ago, still valid, neither used nor
/// declined (one query), oldest first.
async fn unused_invitations(db: &impl ConnectionTrait, now: DateTime<FixedOffset>) -> Result<Vec<ARelancer>, AppError> {
    let sql = "SELECT i.id, i.prenom, i.nom, i.email, i.role, i.envoyee_at, i.rappel_at, dep.code, dep.nom AS departement_nom \
               FROM invitations i LEFT JOIN departements dep ON dep.code = i.departement_code \
               WHERE i.envoyee_at <= {1} AND i.user_id IS NULL AND i.refusee_at IS NULL AND i.expire_at > {2} ORDER BY i.envoyee_at, i.id";
    let limite = now - Duration::days(crate::invitations::RAPPEL_JOURS);
    let mut out = Vec::new();
    for r in rows(db, sql, vec![limite.into(), now.into()]).await? {
        let envoyee: DateTime<FixedOffset> = r.try_get("", "envoyee_at")?;
        if !super::invitation_inutilisee(envoyee, now, true) {
            continue;
        }
        let rappel: Option<DateTime<FixedOffset>> = r.try_get("", "rappel_at")?;
        let territoire = match (r.try_get::<Option<String>>("", "code")?, r.try_get::<Option<String>>("", "departement_nom")?) {
            (Some(code), Some(nom)) => Some(format!("{code} — {nom}")),
            _ => None,
        };
        out.push(ARelancer {
            compte_id: None,
            invitation_id: Some(r.try_get("", "id")?),
            nom: format!("{} {}", r.try_get::<String>("", "prenom")?, r.try_get::<String>("", "nom")?),
            email: r.try_get("", "email")?,
            role: r.try_get("", "role")?,
            raison: super::INVITATION_INUTILISEE.0.to_string(),
            raison_libelle: super::INVITATION_INUTILISEE.1.to_string(),
            depuis: envoyee.format("%Y-%m-%d").to_string(),
            territoire,
            derniere_action: rappel.map(|at| format!("rappel automatique le {}", crate::rules::heure::jour_a_paris(at))),
        });
    }
    Ok(out)
}

/// Who the people found are (name, role, territory) and what they last did:
/// two queries for all of them, in their order.
async fn describe(db: &impl ConnectionTrait, found: Vec<(Raison, i32, DateTime<FixedOffset>)>) -> Result<Vec<ARelancer>, AppError> {
    if found.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<String> = found.iter().map(|(_, id, _)| id.to_string()).collect();
    let liste = ids.join(", ");
    let sql = format!(
        "WITH c AS ({}) SELECT c.id, c.prenom, c.nom, c.email, c.role, dep.code AS departement, dep.nom AS departement_nom \
         FROM c LEFT JOIN departements dep ON dep.code = c.departement WHERE c.id IN ({liste})",
        crate::adoption::COMPTES
    );
    let mut people: HashMap<i32, (String, String, String, Option<String>)> = HashMap::new();
    for r in rows(db, &sql, vec![]).await? {
        let territoire = match (r.try_get::<Option<String>>("", "departement")?, r.try_get::<Option<String>>("", "departement_nom")?) {
            (Some(code), Some(nom)) => Some(format!("{code} — {nom}")),
            _ => None,
        };
        people.insert(
            r.try_get("", "id")?,
            (
                format!("{} {}", r.try_get::<String>("", "prenom")?, r.try_get::<String>("", "nom")?),
                r.try_get("", "email")?,
                r.try_get("", "role")?,
                territoire,
            ),
        );
    }
    // The last useful action of each: the newest of its weeks' last times
    // (each person's newest time found once, then its row: a subquery per row
    // would read each person's weeks once per week).
    let sql = format!(
        "SELECT a.user_id, a.action, a.derniere_at AS at FROM actions_semaine a \
         JOIN (SELECT user_id, MAX(derniere_at) AS derniere FROM actions_semaine WHERE user_id IN ({liste}) GROUP BY user_id) b \
           ON b.user_id = a.user_id AND a.derniere_at = b.derniere"
    );
    let mut last: HashMap<i32, String> = HashMap::new();
    for r in rows(db, &sql, vec![]).await? {
        let action: String = r.try_get("", "action")?;
        let at: DateTime<FixedOffset> = r.try_get("", "at")?;
        let label = crate::usage::Action::parse(&action).map_or(action.clone(), |a| a.label().to_string());
        last.insert(r.try_get("", "user_id")?, format!("{label} le {}", at.format("%d/%m/%Y")));
    }
    Ok(found
        .into_iter()
        .filter_map(|(raison, id, since)| {
            let (nom, email, role, territoire) = people.get(&id)?.clone();
            Some(ARelancer {
                compte_id: Some(id),
                invitation_id: None,
                nom,
                email,
                role,
                raison: raison.code().to_string(),
                raison_libelle: raison.label().to_string(),
                depuis: since.format("%Y-%m-%d").to_string(),
                territoire,
                derniere_action: last.get(&id).cloned(),
            })
        })
        .collect())
}
