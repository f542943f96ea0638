//! Loading data, on SQLite and PostgreSQL: the reference geography (idempotent),
//! demo data (deterministic, exact counters, demo accounts), and the Ministry's
//! court list (all 289 rows, idempotent, all or nothing).

use crate::common;

use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use server::seed::demo::{seed_demo, Scale};
use server::seed::reference::seed_reference;
use server::seed::tribunaux::{import_tribunaux, ImportError};
use std::path::PathBuf;

async fn rows(db: &DatabaseConnection, sql: &str) -> Vec<Vec<String>> {
    let result = db
        .query_all_raw(Statement::from_string(db.get_database_backend(), sql.to_string()))
        .await
        .unwrap_or_else(|e| panic!("{sql} : {e}"));
    result
        .iter()
        .map(|row| {
            (0..)
                .map_while(|i| {
                    let name = format!("c{i}");
                    row.try_get::<String>("", &name)
                        .ok()
                        .or_else(|| row.try_get::<i64>("", &name).ok().map(|v| v.to_string()))
                        .or_else(|| row.try_get::<i32>("", &name).ok().map(|v| v.to_string()))
                        .or_else(|| row.try_get::<bool>("", &name).ok().map(|v| v.to_string()))
                })
                .collect()
        })
        .collect()
}

async fn count(db: &DatabaseConnection, sql: &str) -> i64 {
    rows(db, sql).await[0][0].parse().expect("nombre")
}

#[tokio::test]
async fn reference_data_loads_and_reloads_without_change() {
    for t in common::databases().await {
        let first = seed_reference(&t.db).await.expect("référentiel");
        assert_eq!((first.regions, first.departements), (24, 107), "{}", t.backend);
        assert!(first.communes >= 34_800);
        let again = seed_reference(&t.db).await.expect("second chargement");
        assert_eq!(again.communes, first.communes);
        assert_eq!(count(&t.db, "SELECT COUNT(*) AS c0 FROM communes").await, first.communes as i64);
        assert_eq!(count(&t.db, "SELECT COUNT(*) AS c0 FROM communes_codes_postaux").await, first.codes_postaux as i64);
        let lille = rows(&t.db, "SELECT nom_recherche AS c0, departement_code AS c1 FROM communes WHERE code = '59350'").await;
        assert_eq!(lille, [["lille", "59"]], "{}", t.backend);
        let corse = rows(&t.db, "SELECT departement_code AS c0 FROM communes WHERE code = '2A004'").await;
        assert_eq!(corse, [["2A"]]);
        t.cleanup().await;
    }
}

#[tokio::test]
async fn demo_data_is_deterministic_with_exact_counters() {
    let mut fingerprints = Vec::new();
    for t in common::databases().await {
        let b = t.backend;
        assert!(seed_demo(&t.db, Scale::Departement("59".into()), 1).await.is_err(), "{b}: reference data first");
        seed_reference(&t.db).await.expect("référentiel");
        assert!(seed_demo(&t.db, Scale::Departement("99".into()), 1).await.is_err(), "{b}: unknown département");
        let report = seed_demo(&t.db, Scale::Departement("59".into()), 1).await.expect("démo");
        assert!(report.gestionnaires > 100 && report.mesures > 20_000, "{b}: {report}");
        let again = seed_demo(&t.db, Scale::Departement("59".into()), 1).await.expect_err("second seed refused");
        assert!(again.to_string().contains("déjà présentes"), "{again}");

        // Demo accounts: active, password verifies, attached where the README says.
        for email in [
            "admin@demo.emjpm.local",
            "magistrat.lille@demo.emjpm.local",
            "greffier.lille@demo.emjpm.local",
            "individuel@demo.emjpm.local",
            "prepose@demo.emjpm.local",
            "service@demo.emjpm.local",
            "direction.59@demo.emjpm.local",
            "direction.hdf@demo.emjpm.local",
        ] {
            let user = rows(&t.db, &format!("SELECT password_hash AS c0, active AS c1 FROM users WHERE email = '{email}'")).await;
            assert_eq!(user.len(), 1, "{b}: {email}");
            assert!(app::accounts::password::verify_password("demo-emjpm", &user[0][0]), "{b}: {email}");
        }
        // The demo administrator has the documented second factor.
        let totp = rows(&t.db, "SELECT totp_secret AS c0 FROM users WHERE totp_actif = true").await;
        assert_eq!(totp, [[server::seed::demo::DEMO_ADMIN_TOTP]], "{b}: the administrator only");
        let tribunal = rows(&t.db, "SELECT t.nom AS c0 FROM magistrats m JOIN users u ON u.id = m.user_id JOIN tribunaux t ON t.id = m.tribunal_id WHERE u.email = 'magistrat.lille@demo.emjpm.local'").await;
        assert_eq!(tribunal, [["Tribunal judiciaire de Lille"]], "{b}");
        let antennes = count(&t.db, "SELECT COUNT(*) AS c0 FROM antennes a JOIN gestionnaire_membres m ON m.gestionnaire_id = a.gestionnaire_id JOIN users u ON u.id = m.user_id WHERE u.email = 'service@demo.emjpm.local'").await;
        assert_eq!(antennes, 2, "{b}");
        let structures = rows(&t.db, "SELECT structure AS c0 FROM directions ORDER BY structure").await;
        assert_eq!(structures, [["DDETS du Nord"], ["DREETS Hauts-de-France"]], "{b}");

        // Counters equal a recount, for gestionnaires and antennes.
        for (table, key) in [("gestionnaires", "gestionnaire_id"), ("antennes", "antenne_id")] {
            let wrong = count(&t.db, &format!(
                "SELECT COUNT(*) AS c0 FROM {table} x WHERE x.en_cours <> (SELECT COUNT(*) FROM mesures m WHERE m.{key} = x.id AND m.statut = 'en_cours')
                   OR x.en_attente <> (SELECT COUNT(*) FROM mesures m WHERE m.{key} = x.id AND m.statut = 'en_attente')"
            ))
            .await;
            assert_eq!(wrong, 0, "{b}: counters of {table}");
        }
        let over = count(&t.db, "SELECT COUNT(*) AS c0 FROM gestionnaires g WHERE g.mesures_max < (SELECT COALESCE(SUM(a.mesures_max), 0) FROM antennes a WHERE a.gestionnaire_id = g.id)").await;
        assert_eq!(over, 0, "{b}: antennes share their service's capacity");
        let bad_rg = rows(&t.db, "SELECT numero_rg AS c0 FROM mesures")
            .await
            .into_iter()
            .filter(|r| !app::rules::rg::is_normalised_rg(&r[0]))
            .count();
        assert_eq!(bad_rg, 0, "{b}");
        let without_etat = count(&t.db, "SELECT COUNT(*) AS c0 FROM mesures m WHERE m.statut <> 'en_attente' AND NOT EXISTS (SELECT 1 FROM mesure_etats e WHERE e.mesure_id = m.id)").await;
        assert_eq!(without_etat, 0, "{b}: every accepted measure has its first état");
        let statuses = rows(&t.db, "SELECT statut AS c0 FROM mesures GROUP BY statut ORDER BY statut").await;
        assert_eq!(statuses, [["en_attente"], ["en_cours"], ["eteinte"]]);
        // The deployment console's story: the rollout, usage, feedback of every kind.
        assert_eq!(rows(&t.db, "SELECT etat AS c0 FROM deploiements WHERE departement_code = '59'").await, [["ouvert"]], "{b}");
        assert_eq!(rows(&t.db, "SELECT etat AS c0 FROM deploiements WHERE departement_code = '75'").await, [["pilote"]], "{b}");
        let actions = rows(&t.db, "SELECT action AS c0 FROM usages GROUP BY action ORDER BY action").await;
        assert_eq!(actions, [["acceptation"], ["capacite"], ["connexion"], ["recherche"], ["reservation"], ["visite_chiffres"]], "{b}");
        assert_eq!(count(&t.db, "SELECT COUNT(DISTINCT statut) AS c0 FROM avis").await, 5, "{b}: every status");
        assert_eq!(count(&t.db, "SELECT COUNT(DISTINCT niveau) AS c0 FROM avis").await, 3, "{b}: every level");
        // Invitations at every step: used, waiting, opened, declined, expired, to send.
        for (quoi, sql) in [
            ("used", "user_id IS NOT NULL"),
            ("waiting", "envoyee_at IS NOT NULL AND user_id IS NULL AND refusee_at IS NULL AND expire_at > CURRENT_TIMESTAMP"),
            ("opened", "ouverte_at IS NOT NULL AND user_id IS NULL"),
            ("declined", "refusee_at IS NOT NULL"),
            ("expired", "expire_at < CURRENT_TIMESTAMP AND user_id IS NULL AND refusee_at IS NULL"),
            ("to send", "envoyee_at IS NULL"),
        ] {
            assert!(count(&t.db, &format!("SELECT COUNT(*) AS c0 FROM invitations WHERE {sql}")).await > 0, "{b}: {quoi}");
        }
        assert_eq!(count(&t.db, "SELECT COUNT(*) AS c0 FROM evolutions WHERE statut = 'fait'").await, 1, "{b}");
        // The service's history in the open territory: measures of the last
        // 12 months reserved, then accepted within two days, with their events.
        let par_le_service =
            count(&t.db, "SELECT COUNT(*) AS c0 FROM mesures WHERE date_reservation IS NOT NULL AND date_nomination IS NOT NULL").await;
        assert!(par_le_service > 100, "{b}: {par_le_service}");
        let acceptees = count(&t.db, "SELECT COUNT(*) AS c0 FROM mesure_evenements WHERE action = 'acceptee'").await;
        assert_eq!(acceptees, par_le_service, "{b}");
        let reservees = count(&t.db, "SELECT COUNT(*) AS c0 FROM mesure_evenements WHERE action = 'reservee'").await;
        assert_eq!(reservees, count(&t.db, "SELECT COUNT(*) AS c0 FROM mesures WHERE date_reservation IS NOT NULL").await, "{b}");
        let a_l_envers = count(
            &t.db,
            "SELECT COUNT(*) AS c0 FROM mesure_evenements a JOIN mesure_evenements r ON r.mesure_id = a.mesure_id AND r.action = 'reservee' \
             WHERE a.action = 'acceptee' AND NOT (a.at > r.at)",
        )
        .await;
        assert_eq!(a_l_envers, 0, "{b}: accepted after being reserved");
        let entonnoir = app::adoption::par_departement(&t.db, &Default::default()).await.expect("entonnoir");
        let nord = entonnoir.get(&Some("59".to_string())).expect("Nord").0;
        assert!(
            // (The invited, first, are not a subset of the accounts: some sign up uninvited.)
            nord[0] > 0 && nord[1..].windows(2).all(|w| w[0] >= w[1]) && nord[5] > 0 && nord[5] < nord[1],
            "{b}: a funnel with people lost on the way: {nord:?}"
        );
        fingerprints
            .push(rows(&t.db, "SELECT COUNT(*) AS c0, SUM(en_cours) AS c1, MIN(nom) AS c2, MAX(siret) AS c3 FROM gestionnaires").await);
        t.cleanup().await;
    }
    assert!(fingerprints.windows(2).all(|w| w[0] == w[1]), "same seed, same data on every backend: {fingerprints:?}");
    // And twice on the same backend.
    let (a, b) = (common::sqlite().await, common::sqlite().await);
    for t in [&a, &b] {
        seed_reference(&t.db).await.expect("référentiel");
        seed_demo(&t.db, Scale::Departement("2A".into()), 42).await.expect("démo");
    }
    let sql = "SELECT COUNT(*) AS c0, SUM(en_cours) AS c1, MIN(nom) AS c2, MAX(siret) AS c3 FROM gestionnaires";
    assert_eq!(rows(&a.db, sql).await, rows(&b.db, sql).await);
    a.cleanup().await;
    b.cleanup().await;
}

fn ministry_file() -> Option<PathBuf> {
    common::shared_data("schema-pjm/datas/tribunaux.csv")
}

#[tokio::test]
async fn the_ministry_court_list_imports_completely_and_idempotently() {
    let Some(file) = ministry_file() else { return };
    for t in common::databases().await {
        let b = t.backend;
        assert!(matches!(import_tribunaux(&t.db, &file).await, Err(ImportError::SansReferentiel)), "{b}");
        seed_reference(&t.db).await.expect("référentiel");
        let report = import_tribunaux(&t.db, &file).await.unwrap_or_else(|e| panic!("{b}: {e}"));
        assert_eq!((report.importes, report.crees, report.mis_a_jour), (289, 289, 0), "{b}");
        assert!(report.reparations.iter().any(|r| r.contains("Pointe-à-Pitre")), "{b}: {:?}", report.reparations);
        let usable = count(&t.db, "SELECT COUNT(*) AS c0 FROM tribunaux WHERE commune_code IS NOT NULL AND latitude <> 0").await;
        assert_eq!(usable, 289, "{b}: every court has a commune and a point");
        let again = import_tribunaux(&t.db, &file).await.expect("second import");
        assert_eq!((again.crees, again.mis_a_jour), (0, 289));
        assert_eq!(count(&t.db, "SELECT COUNT(*) AS c0 FROM tribunaux").await, 289);

        // A broken file imports nothing and names its lines.
        let dir = tempfile::tempdir().expect("tmp");
        let broken = dir.path().join("tribunaux.csv");
        std::fs::write(
            &broken,
            "nom,code_postal,ville,siret,adresse\n\
             \"Tribunal judiciaire de Nulle Part\",\"99999\",\"NULLE PART\",\"17590111500010\",\"1 rue\"\n\
             \"Tribunal judiciaire de Lille\",\"59000\",\"LILLE\",\"12345678901234\",\"13 avenue du Peuple Belge\"\n",
        )
        .expect("fichier");
        let before = count(&t.db, "SELECT COUNT(*) AS c0 FROM tribunaux").await;
        match import_tribunaux(&t.db, &broken).await {
            Err(ImportError::Lignes(lines)) => {
                assert!(lines.iter().any(|l| l.starts_with("ligne 3 : SIRET invalide")), "{lines:?}");
                assert!(lines.iter().any(|l| l.starts_with("ligne 2 :")), "{lines:?}");
            }
            other => panic!("{b}: {other:?}"),
        }
        assert_eq!(count(&t.db, "SELECT COUNT(*) AS c0 FROM tribunaux").await, before, "{b}: nothing half-imported");
        assert!(matches!(import_tribunaux(&t.db, &dir.path().join("absent.csv")).await, Err(ImportError::Fichier(..))));
        t.cleanup().await;
    }
}
