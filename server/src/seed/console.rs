//! The deployment console's story in the demo data: Hauts-de-France open for
//! 18 months, Île-de-France in pilot, the rest not open (Paris planned);
//! 13 months of useful actions with active, quiet and lost users (so that
//! the funnel, the users to rescue and the page's figures say something);
//! avis of every level and status, a few évolutions, one of them done;
//! invitations over 18 months — most Hauts-de-France accounts came through
//! one, others are waiting, opened, reminded, declined or expired, and the
//! Île-de-France pilot's first list is imported, ready to send.

use super::BulkInsert;
use anyhow::Result;
use chrono::{DateTime, Duration, FixedOffset};
use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use sea_orm::sea_query::SimpleExpr;
use sea_orm::{ConnectionTrait, Statement};

fn val<T: Into<sea_orm::Value>>(v: T) -> SimpleExpr {
    SimpleExpr::Value(v.into())
}

const COMMENTAIRES: [(&str, &str, &str); 10] = [
    ("bien", "Réserver une mesure", "Trouvé un mandataire disponible à 10 km en deux minutes, bravo."),
    ("bien", "Mettre à jour ma capacité", "Très simple depuis mon téléphone."),
    ("moyen", "Trouver un mandataire", "La carte est lente quand il y a beaucoup de résultats."),
    ("moyen", "Exporter mes mesures", "Il manque un export de mes mesures pour mon logiciel."),
    ("mal", "Accepter une mesure", "Je ne trouvais pas le bouton pour accepter sur mon téléphone."),
    ("mal", "Me connecter", "Le code de double authentification m'a bloqué."),
    ("bien", "Consulter les chiffres", "Les chiffres du département sont enfin à jour."),
    ("moyen", "Réserver une mesure", "J'aimerais filtrer par langue parlée."),
    ("bien", "", "Merci pour cet outil."),
    ("mal", "Trouver un mandataire", "Aucun mandataire disponible dans mon secteur, que faire ?"),
];

const EVOLUTIONS: [(&str, &str, &str); 4] = [
    ("Filtrer par langue parlée", "Dans la recherche, ne garder que les mandataires qui parlent une langue choisie.", "fait"),
    ("Export des mesures au standard national", "Exporter ses mesures en CSV et XLSX, colonnes du standard schema-pjm.", "en_cours"),
    ("Carte plus rapide", "Afficher la carte des résultats plus vite quand ils sont nombreux.", "prevue"),
    ("Rappel avant expiration d'une réservation", "Prévenir le mandataire la veille de l'expiration.", "a_l_etude"),
];

/// Writes the console's story inside the demo's transaction.
pub async fn seed(db: &impl ConnectionTrait, rng: &mut ChaCha8Rng, now: DateTime<FixedOffset>) -> Result<()> {
    let backend = db.get_database_backend();
    let today = now.date_naive();
    // Rollout: Hauts-de-France open since its start, Île-de-France in pilot, Paris's wave planned.
    for (region, etat, vague, ouvert_il_y_a) in
        [("32", "ouvert", "Hauts-de-France", Some(540)), ("11", "pilote", "Île-de-France — rentrée", Some(60))]
    {
        let ouverture = ouvert_il_y_a.map(|jours| today - Duration::days(jours));
        let sql = super::placeholders(
            backend,
            "INSERT INTO deploiements (departement_code, etat, vague, date_prevue, date_ouverture, updated_at) \
             SELECT code, ?, ?, ?, ?, ? FROM departements WHERE region_code = ?",
        );
        let values: Vec<sea_orm::Value> = vec![etat.into(), vague.into(), ouverture.into(), ouverture.into(), now.into(), region.into()];
        db.execute_raw(Statement::from_sql_and_values(backend, sql, values)).await?;
    }
    let sql = super::placeholders(
        backend,
        "INSERT INTO deploiements (departement_code, etat, vague, date_prevue, updated_at) \
         SELECT code, 'non_ouvert', 'Grand Est — printemps', ?, ? FROM departements WHERE region_code = '44'",
    );
    db.execute_raw(Statement::from_sql_and_values(backend, sql, [(today + Duration::days(120)).into(), now.into()])).await?;

    // Useful actions over 13 months: most people active, some gone quiet,
    // a few judges who search without reserving, some never signed in.
    let users = db
        .query_all_raw(Statement::from_string(backend, "SELECT id, role, email FROM users WHERE active AND role <> 'admin' ORDER BY id"))
        .await?;
    let mut usages = BulkInsert::new("usages", &["at", "user_id", "action"]);
    // (account, last sign-in, validated): validated before its first visit.
    let mut derniere: Vec<(i32, DateTime<FixedOffset>, DateTime<FixedOffset>)> = Vec::new();
    for row in users {
        let (id, role, email): (i32, String, String) = (row.try_get("", "id")?, row.try_get("", "role")?, row.try_get("", "email")?);
        let profil: u32 = rng.gen_range(0..100);
        // The documented demo accounts (README) are active users.
        let profil = if email.ends_with("@demo.emjpm.local") { 10 + profil % 50 } else { profil };
        if profil < 8 {
            continue; // never signed in
        }
        // Active (last action within 30 days), quiet (31-90 days) or gone
        // (3-5 months: under the 6 months after which the retention job
        // warns an account, so that the demo keeps its people).
        let derniere_fois = match profil {
            8..=69 => rng.gen_range(0..30),
            70..=87 => rng.gen_range(31..90),
            _ => rng.gen_range(90..160),
        };
        let debut = derniere_fois + rng.gen_range(10..200);
        let actions: &[&str] = match role.as_str() {
            "magistrat" | "greffier" if profil % 7 == 0 => &["recherche"],
            "magistrat" | "greffier" => &["recherche", "reservation"],
            "direction" => &["visite_chiffres"],
            _ if profil % 9 == 0 => &["capacite"],
            _ => &["capacite", "acceptation"],
        };
        // A visit every 3 to 20 days, from `debut` days ago to `derniere_fois`.
        let mut jour = debut;
        loop {
            let at = now - Duration::days(jour) - Duration::minutes(rng.gen_range(0..600));
            usages.push(db, vec![val(at), val(id), val("connexion")]).await?;
            for action in actions {
                usages.push(db, vec![val(at + Duration::minutes(3)), val(id), val(*action)]).await?;
            }
            let pas = rng.gen_range(3..20);
            if jour < derniere_fois + pas {
                break;
            }
            jour -= pas;
        }
        derniere.push((id, now - Duration::days(derniere_fois), now - Duration::days(debut + rng.gen_range(0..14))));
    }
    usages.flush(db).await?;
    app::usage::rebuild_weeks(db).await?;
    for (id, at, valide) in derniere {
        let sql = super::placeholders(backend, "UPDATE users SET last_login_at = ?, valide_at = ?, created_at = ? WHERE id = ?");
        db.execute_raw(Statement::from_sql_and_values(backend, sql, [at.into(), valide.into(), valide.into(), id.into()])).await?;
    }
    // The others (never signed in) were validated at their creation.
    db.execute_unprepared("UPDATE users SET valide_at = created_at WHERE active AND valide_at IS NULL").await?;

    // Évolutions and avis: every level and status, some linked, the done one told.
    let mut evolution_ids = Vec::new();
    for (titre, description, statut) in EVOLUTIONS {
        let fait = (statut == "fait").then(|| now - Duration::days(12));
        let sql = super::placeholders(
            backend,
            "INSERT INTO evolutions (titre, description, statut, created_at, fait_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
        );
        let values: Vec<sea_orm::Value> =
            vec![titre.into(), description.into(), statut.into(), (now - Duration::days(200)).into(), fait.into()];
        let row = db.query_one_raw(Statement::from_sql_and_values(backend, sql, values)).await?;
        evolution_ids.push(row.map(|r| r.try_get::<i32>("", "id")).transpose()?.unwrap_or_default());
    }
    let auteurs = db
        .query_all_raw(Statement::from_string(
            backend,
            format!(
                "WITH c AS ({}) SELECT c.id, c.role, c.departement AS dep, dep.region_code \
                 FROM c LEFT JOIN departements dep ON dep.code = c.departement WHERE c.active ORDER BY c.id",
                app::adoption::COMPTES
            ),
        ))
        .await?;
    let statuts = ["nouveau", "nouveau", "nouveau", "a_l_etude", "prevu", "fait", "sans_suite"];
    let pages = ["/tribunal/recherche", "/tribunal/mesures/{id}", "/mandataire", "/mandataire/capacite", "/direction", "/connexion/code"];
    let mut avis = BulkInsert::new(
        "avis",
        &[
            "created_at",
            "niveau",
            "objectif",
            "commentaire",
            "recontacter",
            "user_id",
            "role",
            "departement_code",
            "region_code",
            "page",
            "statut",
            "etiquettes",
            "evolution_id",
            "informe_at",
        ],
    );
    for i in 0..60 {
        let (niveau, objectif, commentaire) = COMMENTAIRES[i % COMMENTAIRES.len()];
        let auteur = auteurs.choose(rng);
        let (user, role, dep, region): (Option<i32>, Option<String>, Option<String>, Option<String>) = match auteur {
            Some(a) if i % 6 != 0 => {
                (Some(a.try_get("", "id")?), Some(a.try_get("", "role")?), a.try_get("", "dep")?, a.try_get("", "region_code")?)
            }
            _ => (None, None, None, None),
        };
        // Linked to an évolution when the comment asks for one.
        let evolution = match commentaire {
            c if c.contains("langue") => evolution_ids.first().copied(),
            c if c.contains("export") => evolution_ids.get(1).copied(),
            c if c.contains("carte") => evolution_ids.get(2).copied(),
            _ => None,
        };
        let statut = if evolution == evolution_ids.first().copied() && evolution.is_some() { "fait" } else { statuts[i % statuts.len()] };
        let recontacter = user.is_some() && i % 3 == 0;
        let informe = (statut == "fait" && recontacter && evolution.is_some()).then(|| now - Duration::days(12));
        avis.push(
            db,
            vec![
                val(now - Duration::days(rng.gen_range(0..330)) - Duration::minutes(rng.gen_range(0..900))),
                val(niveau),
                val(objectif),
                val(commentaire),
                val(recontacter),
                val(user),
                val(role),
                val(dep),
                val(region),
                val(pages[i % pages.len()]),
                val(statut),
                val(if i % 4 == 0 { "mobile" } else { "" }),
                val(evolution),
                val(informe),
            ],
        )
        .await?;
    }
    avis.flush(db).await?;
    invitations(db, rng, now).await
}

/// The invitations' story (see the module's documentation).
async fn invitations(db: &impl ConnectionTrait, rng: &mut ChaCha8Rng, now: DateTime<FixedOffset>) -> Result<()> {
    let backend = db.get_database_backend();
    let mut rows = BulkInsert::new(
        "invitations",
        &[
            "email",
            "role",
            "prenom",
            "nom",
            "departement_code",
            "tribunal_id",
            "importee_at",
            "envoyee_at",
            "rappel_at",
            "expire_at",
            "ouverte_at",
            "user_id",
            "compte_cree_at",
            "refusee_at",
        ],
    );
    let jours = |n: i64| now - Duration::days(n);
    // Most accounts of Hauts-de-France came through an invitation, sent a few
    // days to a few weeks before their account.
    let comptes = db
        .query_all_raw(Statement::from_string(
            backend,
            format!(
                "WITH c AS ({}) SELECT c.id, c.email, c.role, c.prenom, c.nom, c.departement, c.created_at, m.tribunal_id \
                 FROM c LEFT JOIN magistrats m ON m.user_id = c.id \
                 WHERE c.departement IN (SELECT code FROM departements WHERE region_code = '32') AND c.role <> 'direction' ORDER BY c.id",
                app::adoption::COMPTES
            ),
        ))
        .await?;
    for c in comptes {
        if rng.gen_range(0..100) < 30 {
            continue; // signed up on their own
        }
        let cree: DateTime<FixedOffset> = c.try_get("", "created_at")?;
        let envoyee = cree - Duration::days(rng.gen_range(1..25));
        let rappel = (cree - envoyee > Duration::days(app::invitations::RAPPEL_JOURS))
            .then(|| envoyee + Duration::days(app::invitations::RAPPEL_JOURS));
        rows.push(
            db,
            vec![
                val(c.try_get::<String>("", "email")?),
                val(c.try_get::<String>("", "role")?),
                val(c.try_get::<String>("", "prenom")?),
                val(c.try_get::<String>("", "nom")?),
                val(c.try_get::<Option<String>>("", "departement")?),
                val(c.try_get::<Option<i32>>("", "tribunal_id")?),
                val(envoyee - Duration::days(1)),
                val(envoyee),
                val(rappel),
                val(envoyee + Duration::days(app::invitations::VALIDITE_JOURS)),
                val(cree - Duration::minutes(20)),
                val(c.try_get::<i32>("", "id")?),
                val(cree),
                val(Option::<DateTime<FixedOffset>>::None),
            ],
        )
        .await?;
    }
    // Judges and greffiers invited and not there yet: sent, reminded,
    // opened, declined, expired; and the pilot's list, imported only.
    let tribunaux = db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT id, departement_code FROM tribunaux WHERE departement_code IN ('59', '62', '75', '92', '93', '94') ORDER BY id",
        ))
        .await?;
    let prenoms = ["Claire", "Julien", "Sophie", "Karim", "Nathalie", "Thomas", "Inès", "Marc"];
    let noms = ["Lefebvre", "Moreau", "Garnier", "Benali", "Roux", "Fontaine", "Caron", "Mercier"];
    for i in 0..48_usize {
        let francilien = i >= 34;
        let candidats: Vec<_> = tribunaux
            .iter()
            .filter(|t| {
                let d: String = t.try_get("", "departement_code").unwrap_or_default();
                (d == "59" || d == "62") != francilien
            })
            .collect();
        // (A demo without Île-de-France's tribunals invites its directions.)
        let (tribunal, departement): (Option<i32>, String) = match candidats.choose(rng) {
            Some(t) => (Some(t.try_get("", "id")?), t.try_get("", "departement_code")?),
            None if francilien => (None, ["75", "92", "93", "94"][i % 4].to_string()),
            None => continue,
        };
        let role = match (tribunal, i % 3) {
            (None, _) => "direction",
            (Some(_), 0) => "greffier",
            _ => "magistrat",
        };
        // (days since sent, reminded, opened, declined); None: not sent yet.
        let (envoyee, ouverte, refusee): (Option<i64>, bool, bool) = match i {
            _ if francilien => (None, false, false),
            0..=7 => (Some(rng.gen_range(1..7)), i % 3 == 0, false),
            8..=19 => (Some(rng.gen_range(8..29)), i % 2 == 0, false),
            20..=23 => (Some(rng.gen_range(3..40)), true, true),
            _ => (Some(rng.gen_range(31..300)), i % 4 == 0, false),
        };
        let envoyee_at = envoyee.map(jours);
        rows.push(
            db,
            vec![
                val(format!("invite.{i}@justice.demo.emjpm.local")),
                val(role),
                val(prenoms[i % prenoms.len()]),
                val(noms[(i / 2) % noms.len()]),
                val(departement),
                val(tribunal),
                val(envoyee_at.unwrap_or(jours(2)) - Duration::days(1)),
                val(envoyee_at),
                val(envoyee.filter(|d| *d >= app::invitations::RAPPEL_JOURS).map(|d| jours(d - app::invitations::RAPPEL_JOURS))),
                val(envoyee_at.map(|e| e + Duration::days(app::invitations::VALIDITE_JOURS))),
                val(envoyee.filter(|_| ouverte).map(|d| jours(d) + Duration::hours(5))),
                val(Option::<i32>::None),
                val(Option::<DateTime<FixedOffset>>::None),
                val(envoyee.filter(|_| refusee).map(|d| jours(d) + Duration::hours(6))),
            ],
        )
        .await?;
    }
    rows.flush(db).await?;
    Ok(())
}
