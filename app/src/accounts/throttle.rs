//! The sign-in throttle's database side (the rules: `rules::throttle`). Each
//! attempt — a password, or a second-factor code — first takes a place on each
//! of its counters with **one atomic statement per counter** (`INSERT … ON
//! CONFLICT DO UPDATE … WHERE <the next attempt is allowed> RETURNING`), so
//! that a burst of parallel attempts gets exactly as many places as the rule
//! allows, on SQLite and PostgreSQL alike, across server instances. The
//! password is checked only after the places are taken; a successful sign-in
//! gives its places back.
//!
//! The address's own counter only counts attempts from IPs where the account
//! never signed in (`adresses_connues`). When it blocks, the owner is mailed,
//! once, a link (`/connexion?deverrouillage=…`) that lets the device opening it
//! sign in despite the block; the administrators are told once too.

use crate::db::entities::{adresses_connues, deverrouillages, limites_connexion, users};
use crate::errors::AppError;
use crate::notifications::{self, messages};
use crate::rules::throttle::{self, Decision, Limites, Suivante, FENETRE_SECONDES};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{ExprTrait, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, Statement};

/// How long a mailed unlock link serves.
pub const DEVERROUILLAGE_MINUTES: i64 = 60;

/// The places one attempt took; give them back with [`Tentative::reussie`]
/// when the sign-in succeeds (a failure keeps them: it was counted).
#[must_use = "a successful sign-in must give its places back"]
pub struct Tentative {
    cles: Vec<(String, Limites)>,
    ip: Option<String>,
    /// The valid unlock link the attempt came with (the address's own counter
    /// was then skipped), used up when the sign-in succeeds.
    lien: Option<String>,
}

fn cle_ip(ip: &str) -> String {
    format!("ip:{ip}")
}

fn cle_adresse_ip(email: &str, ip: Option<&str>) -> String {
    format!("adresse_ip:{}|{}", email.chars().take(320).collect::<String>(), ip.unwrap_or("?"))
}

fn cle_adresse(email: &str) -> String {
    format!("adresse:{}", email.chars().take(320).collect::<String>())
}

/// `prochain` when the next attempt may be taken at once. Not the attempt's
/// own clock: parallel attempts read the clock before their statements run, in
/// any order, and one that read 12:00:00 must not be refused because another,
/// which read 12:00:01, stored "not before 12:00:01" (a burst straddling a
/// second lost places that way on a loaded machine).
const SANS_ATTENTE: i64 = 0;

/// The SQL expression of the earliest next attempt after the `n`-th (`n` an
/// SQL expression), `now` and `debut` SQL expressions too. The waits are the
/// rule's own numbers, listed count by count.
fn prochain_sql(limites: Limites, n: &str, now: &str, debut: &str) -> String {
    let sql_of = |suivante| match suivante {
        Suivante::Permise => SANS_ATTENTE.to_string(),
        Suivante::Apres(secondes) => format!("{now} + {secondes}"),
        Suivante::FinDeFenetre => format!("{debut} + {FENETRE_SECONDES}"),
    };
    let mut sql = format!("CASE WHEN {n} < {} THEN {SANS_ATTENTE}", limites.paliers().start());
    for palier in limites.paliers() {
        sql.push_str(&format!(" WHEN {n} <= {palier} THEN {}", sql_of(limites.suivante(palier))));
    }
    sql.push_str(&format!(" ELSE {} END", sql_of(limites.suivante(*limites.paliers().end()))));
    sql
}

/// Takes a place on counter `cle`: Ok(the attempt's rank in the window), or
/// Err(why not) when the next attempt is not allowed yet. One statement.
async fn prendre(db: &impl ConnectionTrait, cle: &str, limites: Limites, now: i64) -> Result<Result<i64, Decision>, AppError> {
    let backend = db.get_database_backend();
    let p = |i: usize| crate::db::parametre(backend, i);
    let (cle_p, now_p) = (p(1), p(2));
    let t = "limites_connexion";
    let expire = format!("{t}.debut <= {now_p} - {FENETRE_SECONDES}");
    let n = format!("(CASE WHEN {expire} THEN 1 ELSE {t}.essais + 1 END)");
    let debut = format!("(CASE WHEN {expire} THEN {now_p} ELSE {t}.debut END)");
    let first = match limites.suivante(1) {
        Suivante::Permise => SANS_ATTENTE,
        Suivante::Apres(s) => now + s,
        Suivante::FinDeFenetre => now + FENETRE_SECONDES,
    };
    let sql = format!(
        "INSERT INTO {t} (cle, essais, debut, prochain) VALUES ({cle_p}, 1, {now_p}, {first}) \
         ON CONFLICT (cle) DO UPDATE SET essais = {n}, debut = {debut}, prochain = {prochain} \
         WHERE {expire} OR {t}.prochain <= {now_p} \
         RETURNING essais",
        prochain = prochain_sql(limites, &n, &now_p, &debut),
    );
    let row = db.query_one_raw(Statement::from_sql_and_values(backend, sql, [cle.into(), now.into()])).await?;
    if let Some(row) = row {
        return Ok(Ok(row.try_get::<i64>("", "essais")?));
    }
    // Refused: how long until the next attempt (read after the refusal; the
    // counter only moves forward).
    let prochain = limites_connexion::Entity::find_by_id(cle.to_string()).one(db).await?.map_or(now, |r| r.prochain);
    Ok(Err(limites.refus(prochain - now)))
}

/// Takes a place on the counter `cle` of another kind of request limited the
/// same way (feedback…), in the same atomic statement: Ok(the request's rank
/// in the window), or Err(seconds before the next is allowed).
pub async fn prendre_place(db: &impl ConnectionTrait, cle: &str, limites: Limites) -> Result<Result<i64, i64>, AppError> {
    Ok(prendre(db, cle, limites, Utc::now().timestamp()).await?.map_err(Decision::secondes))
}

/// Gives back a place taken by an attempt that did not need it, in one
/// statement. When the count falls back below the slow-down, the wait that
/// the place had set is lifted too: simultaneous sign-ins that all succeeded
/// (a burst of a shared computer's tabs, a server stall releasing queued
/// requests) left a wait that refused the next one (429) with nothing counted.
/// A block (`Limites::Bloquer`) is never lifted that way.
async fn rendre(db: &impl ConnectionTrait, cle: &str, limites: Limites) -> Result<(), AppError> {
    let backend = db.get_database_backend();
    let p = |i: usize| crate::db::parametre(backend, i);
    let seuil = match limites {
        Limites::Ralentir { des } => des,
        Limites::Bloquer { .. } => 0,
    };
    let sql = format!(
        "UPDATE limites_connexion SET essais = essais - 1, \
         prochain = CASE WHEN essais - 1 < {seuil} THEN {SANS_ATTENTE} ELSE prochain END \
         WHERE cle = {cle} AND essais > 0",
        cle = p(1),
    );
    db.execute_raw(Statement::from_sql_and_values(backend, sql, [cle.into()])).await?;
    Ok(())
}

/// Whether `compte` signed in from `ip` before.
async fn ip_connue(db: &impl ConnectionTrait, compte: &users::Model, ip: Option<&str>) -> Result<bool, AppError> {
    let Some(ip) = ip else { return Ok(false) };
    Ok(adresses_connues::Entity::find_by_id((compte.id, ip.to_string())).one(db).await?.is_some())
}

/// Whether `lien` is an unexpired unlock link of `compte`.
async fn lien_valide(db: &impl ConnectionTrait, compte: &users::Model, lien: &str) -> Result<bool, AppError> {
    Ok(deverrouillages::Entity::find_by_id(crate::accounts::session::token_id(lien))
        .filter(deverrouillages::Column::UserId.eq(compte.id))
        .filter(deverrouillages::Column::ExpiresAt.gt(Utc::now().fixed_offset()))
        .one(db)
        .await?
        .is_some())
}

/// Takes the places of one sign-in attempt for `email` from `ip` — before any
/// password is checked. `compte`: the account of that address, if any;
/// `lien`: an unlock link brought by the sign-in form.
pub async fn tenter(
    db: &impl ConnectionTrait,
    email: &str,
    ip: Option<&str>,
    compte: Option<&users::Model>,
    lien: Option<&str>,
    base_url: &str,
) -> Result<Result<Tentative, Decision>, AppError> {
    let lien = match (compte, lien.filter(|l| !l.is_empty() && l.len() <= 128)) {
        (Some(compte), Some(lien)) if lien_valide(db, compte, lien).await? => Some(lien.to_string()),
        _ => None,
    };
    let connue = match compte {
        Some(compte) => lien.is_some() || ip_connue(db, compte, ip).await?,
        None => false,
    };
    let mut compteurs = vec![(cle_adresse_ip(email, ip), throttle::PAR_ADRESSE_ET_IP)];
    if !connue {
        compteurs.push((cle_adresse(email), throttle::PAR_ADRESSE_DEPUIS_IP_INCONNUE));
    }
    let prises = prendre_tout(db, ip, compteurs, compte, base_url).await?;
    Ok(prises.map(|cles| Tentative { cles, ip: ip.map(str::to_string), lien }))
}

/// Takes the places of a check made by someone who already gave the right
/// password (a second-factor code) or is signed in (its current password before
/// a change): slowed down per address and IP, never counted towards blocking.
pub async fn tenter_verification(
    db: &impl ConnectionTrait,
    email: &str,
    ip: Option<&str>,
) -> Result<Result<Tentative, Decision>, AppError> {
    let compteurs = vec![(cle_adresse_ip(email, ip), throttle::PAR_ADRESSE_ET_IP)];
    let prises = prendre_tout(db, ip, compteurs, None, "").await?;
    Ok(prises.map(|cles| Tentative { cles, ip: ip.map(str::to_string), lien: None }))
}

/// Takes a place on the IP's counter and on each of `compteurs`, in order; a
/// refusal gives back the places already taken.
async fn prendre_tout(
    db: &impl ConnectionTrait,
    ip: Option<&str>,
    mut compteurs: Vec<(String, Limites)>,
    compte: Option<&users::Model>,
    base_url: &str,
) -> Result<Result<Vec<(String, Limites)>, Decision>, AppError> {
    let now = Utc::now().timestamp();
    if let Some(ip) = ip {
        compteurs.insert(0, (cle_ip(ip), throttle::PAR_IP));
    }
    let mut prises: Vec<(String, Limites)> = Vec::new();
    for (cle, limites) in compteurs {
        match prendre(db, &cle, limites, now).await? {
            Ok(rang) => {
                let bloque = |n| limites.suivante(n) == Suivante::FinDeFenetre;
                if bloque(rang) && !bloque(rang - 1) {
                    // Exactly one attempt reaches the block: it tells the owner and the team.
                    if let Some(compte) = compte {
                        tell_blocked(db, compte, ip, base_url).await?;
                    }
                }
                prises.push((cle, limites));
            }
            Err(decision) => {
                for (cle, limites) in &prises {
                    rendre(db, cle, *limites).await?;
                }
                return Ok(Err(decision));
            }
        }
    }
    Ok(Ok(prises))
}

impl Tentative {
    /// The password was right but a second factor follows: the places are
    /// given back (and an unlock link used up), the IP not yet known.
    pub async fn mot_de_passe_juste(&self, db: &impl ConnectionTrait) -> Result<(), AppError> {
        for (cle, limites) in &self.cles {
            if cle.starts_with("adresse_ip:") {
                limites_connexion::Entity::delete_by_id(cle.clone()).exec(db).await?;
            } else {
                rendre(db, cle, *limites).await?;
            }
        }
        if let Some(lien) = &self.lien {
            deverrouillages::Entity::delete_by_id(crate::accounts::session::token_id(lien)).exec(db).await?;
        }
        Ok(())
    }

    /// The sign-in succeeded (right password, or right code): its places are
    /// given back, the failures of this address from this IP forgotten, the IP
    /// known for the account from now on, and an unlock link used up.
    pub async fn reussie(self, db: &impl ConnectionTrait, user_id: i32) -> Result<(), AppError> {
        self.mot_de_passe_juste(db).await?;
        if let Some(ip) = &self.ip {
            let now = Utc::now().fixed_offset();
            adresses_connues::Entity::insert(adresses_connues::ActiveModel {
                user_id: Set(user_id),
                ip: Set(ip.chars().take(64).collect()),
                derniere_connexion: Set(now),
            })
            .on_conflict(
                OnConflict::columns([adresses_connues::Column::UserId, adresses_connues::Column::Ip])
                    .update_column(adresses_connues::Column::DerniereConnexion)
                    .to_owned(),
            )
            .exec(db)
            .await?;
        }
        Ok(())
    }
}

/// The address is blocked for unknown IPs: its owner gets a link to sign in
/// from its own device, the active administrators a warning.
async fn tell_blocked(db: &impl ConnectionTrait, compte: &users::Model, ip: Option<&str>, base_url: &str) -> Result<(), AppError> {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let lien = hex::encode(bytes);
    deverrouillages::Entity::insert(deverrouillages::ActiveModel {
        jeton_hash: Set(crate::accounts::session::token_id(&lien)),
        user_id: Set(compte.id),
        expires_at: Set((Utc::now() + chrono::Duration::minutes(DEVERROUILLAGE_MINUTES)).fixed_offset()),
    })
    .exec(db)
    .await?;
    let ip = ip.unwrap_or("inconnue");
    let pour_le_compte = messages::deverrouillage(ip, &format!("{base_url}/connexion?deverrouillage={lien}"));
    notifications::enqueue(db, pour_le_compte.pour(&compte.email)).await?;
    let message = messages::verrouillage(&compte.email, ip, &format!("{base_url}/admin"));
    let admins: Vec<users::Model> =
        users::Entity::find().filter(users::Column::Role.eq("admin")).filter(users::Column::Active.eq(true)).all(db).await?;
    for admin in admins {
        notifications::enqueue(db, message.pour(&admin.email)).await?;
    }
    Ok(())
}

/// Forgets every counter of an address (its password was just reset by its
/// owner: the block and the waits no longer protect anything).
pub async fn forget(db: &impl ConnectionTrait, email: &str) -> Result<(), sea_orm::DbErr> {
    limites_connexion::Entity::delete_many()
        .filter(
            limites_connexion::Column::Cle
                .eq(cle_adresse(email))
                .or(limites_connexion::Column::Cle.starts_with(format!("adresse_ip:{email}|"))),
        )
        .exec(db)
        .await?;
    Ok(())
}

/// Removes counters whose window and wait are over, unlock links past their
/// time, and IPs not used for a year; returns how many rows.
pub async fn purge(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<u64, sea_orm::DbErr> {
    let seconds = now.timestamp();
    let counters = limites_connexion::Entity::delete_many()
        .filter(limites_connexion::Column::Debut.lte(seconds - FENETRE_SECONDES))
        .filter(limites_connexion::Column::Prochain.lte(seconds))
        .exec(db)
        .await?;
    let links = deverrouillages::Entity::delete_many().filter(deverrouillages::Column::ExpiresAt.lt(now.fixed_offset())).exec(db).await?;
    let ips = adresses_connues::Entity::delete_many()
        .filter(adresses_connues::Column::DerniereConnexion.lt((now - chrono::Duration::days(365)).fixed_offset()))
        .exec(db)
        .await?;
    Ok(counters.rows_affected + links.rows_affected + ips.rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_attempt_is_computed_in_sql_with_the_rules_numbers() {
        let sql = prochain_sql(throttle::PAR_ADRESSE_ET_IP, "n", "now", "debut");
        assert!(sql.starts_with("CASE WHEN n < 5 THEN 0 WHEN n <= 5 THEN now + 2 WHEN n <= 6 THEN now + 4"), "{sql}");
        assert!(sql.ends_with("WHEN n <= 13 THEN now + 300 ELSE now + 300 END"), "{sql}");
        let sql = prochain_sql(throttle::PAR_ADRESSE_DEPUIS_IP_INCONNUE, "n", "now", "debut");
        assert_eq!(sql, "CASE WHEN n < 20 THEN 0 WHEN n <= 20 THEN debut + 1800 ELSE debut + 1800 END");
    }

    /// Parallel attempts read the clock before their statements run, in any
    /// order: the one that read the earlier second, running last, must still
    /// get its place (CI lost 4 of a burst's 20 places that way).
    #[tokio::test]
    async fn an_attempt_that_read_the_clock_earlier_but_runs_later_gets_its_place() {
        use sea_orm::{ConnectionTrait, Database, Schema};
        let db = Database::connect("sqlite::memory:").await.expect("sqlite");
        let schema = Schema::new(sea_orm::DbBackend::Sqlite);
        db.execute(&schema.create_table_from_entity(limites_connexion::Entity)).await.expect("table");
        let t = 1_800_000_000;
        for limites in [throttle::PAR_ADRESSE_DEPUIS_IP_INCONNUE, throttle::PAR_ADRESSE_ET_IP, throttle::PAR_IP] {
            let cle = format!("{limites:?}");
            assert_eq!(prendre(&db, &cle, limites, t + 1).await.expect("sql"), Ok(1));
            assert_eq!(prendre(&db, &cle, limites, t).await.expect("sql"), Ok(2), "{limites:?}");
            // Given back below the slow-down, the next earlier reader passes too.
            rendre(&db, &cle, limites).await.expect("sql");
            assert_eq!(prendre(&db, &cle, limites, t - 1).await.expect("sql"), Ok(2), "{limites:?}");
        }
    }
}
