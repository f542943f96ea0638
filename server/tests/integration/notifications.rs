//! E-mail notifications through a real SMTP server (aiosmtpd, installed by
//! `cargo xtask test` into target/venv-smtp), the outbox's claims, the jobs'
//! claims and the expiry of pending reservations — on SQLite and PostgreSQL.
//!
//! `EMJPM_TEST_AIOSMTPD` names the Python of that virtualenv; without it the test
//! is skipped, except under CI where it fails.

use crate::common;

use app::db::entities::{audit_events, courriels, mesure_evenements, mesures, users};
use app::notifications::{self, messages, Courriel};
use chrono::{Duration, Months, Utc};
use lettre::{AsyncSmtpTransport, Tokio1Executor};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use server::{jobs, mailer};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// The Python of the aiosmtpd virtualenv, or None (test skipped) outside CI.
fn aiosmtpd_python() -> Option<PathBuf> {
    match std::env::var("EMJPM_TEST_AIOSMTPD") {
        Ok(p) if !p.is_empty() => Some(PathBuf::from(p)),
        _ => {
            assert!(
                std::env::var("CI").is_err(),
                "EMJPM_TEST_AIOSMTPD n'est pas défini (exigé sous CI) : lancez les tests par `cargo xtask test`"
            );
            println!("test ignoré : EMJPM_TEST_AIOSMTPD n'est pas défini (lancez `cargo xtask test`, qui installe aiosmtpd)");
            None
        }
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").expect("port libre").local_addr().expect("adresse").port()
}

/// An aiosmtpd server writing every message it receives into a Maildir; killed on drop.
struct Smtp {
    child: Child,
    port: u16,
    python: PathBuf,
    dir: tempfile::TempDir,
}

impl Smtp {
    fn start(python: &Path, port: u16) -> Smtp {
        let dir = tempfile::tempdir().expect("répertoire du Maildir");
        let child = Command::new(python)
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
            .arg(dir.path().join("maildir"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("démarrage d'aiosmtpd");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(std::time::Instant::now() < deadline, "aiosmtpd n'écoute pas sur le port {port}");
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        Smtp { child, port, python: python.to_path_buf(), dir }
    }

    fn transport(&self) -> AsyncSmtpTransport<Tokio1Executor> {
        mailer::transport(&format!("smtp://127.0.0.1:{}", self.port)).expect("transport")
    }

    /// The messages received so far, decoded by Python's e-mail parser.
    fn received(&self) -> Vec<serde_json::Value> {
        const SCRIPT: &str = r#"
import json, mailbox, sys, email.policy
box = mailbox.Maildir(sys.argv[1], factory=None, create=True)
out = []
for key in sorted(box.keys()):
    m = email.message_from_bytes(box.get_bytes(key), policy=email.policy.default)
    text = m.get_body(preferencelist=('plain',))
    html = m.get_body(preferencelist=('html',))
    out.append({"to": str(m["To"]), "from": str(m["From"]), "subject": str(m["Subject"]),
                "content_type": m.get_content_type(),
                "text": text.get_content() if text else None, "html": html.get_content() if html else None})
print(json.dumps(out))
"#;
        let output =
            Command::new(&self.python).args(["-c", SCRIPT]).arg(self.dir.path().join("maildir")).output().expect("lecture du Maildir");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        serde_json::from_slice(&output.stdout).expect("JSON")
    }
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn from() -> lettre::message::Mailbox {
    mailer::DEFAULT_FROM.parse().expect("expéditeur")
}

fn courriel(destinataire: &str) -> Courriel {
    messages::reservation("00012345", "Tribunal judiciaire de Lille", "Curatelle renforcée", true, "https://emjpm.test/mandataire?a=1&b=2")
        .pour(destinataire)
}

async fn row(db: &DatabaseConnection) -> courriels::Model {
    courriels::Entity::find().one(db).await.expect("lecture").expect("un courriel")
}

#[tokio::test]
async fn notifications_go_through_a_real_smtp_server() {
    let Some(python) = aiosmtpd_python() else { return };
    for t in common::databases().await {
        let db = &t.db;
        let backend = t.backend;
        delivers_once_even_with_two_senders(db, &python, backend).await;
        db.execute_unprepared("DELETE FROM courriels").await.expect("vidage");
        keeps_the_mail_while_the_server_is_down(db, &python, backend).await;
        only_one_instance_claims_a_job(db, backend).await;
        expires_old_pending_reservations(db, &python, backend).await;
        t.cleanup().await;
    }
}

async fn delivers_once_even_with_two_senders(db: &DatabaseConnection, python: &Path, backend: &str) {
    let smtp = Smtp::start(python, free_port());
    let transport = smtp.transport();
    // Queued inside a rolled-back transaction: nothing to send.
    {
        use sea_orm::TransactionTrait;
        let tx = db.begin().await.expect("transaction");
        notifications::enqueue(&tx, courriel("annule@exemple.fr")).await.expect("file");
        tx.rollback().await.expect("annulation");
    }
    notifications::enqueue(db, courriel("martin@exemple.fr")).await.expect("file");
    let now = Utc::now();
    let from = from();
    let (a, b) = tokio::join!(mailer::send_due(db, &transport, &from, now), mailer::send_due(db, &transport, &from, now));
    let (a, b) = (a.expect("envoi A"), b.expect("envoi B"));
    assert_eq!(a.envoyes + b.envoyes, 1, "{backend} : un seul envoi ({a:?}, {b:?})");
    assert_eq!(a.echecs + b.echecs, 0, "{backend}");
    let received = smtp.received();
    assert_eq!(received.len(), 1, "{backend} : {received:?}");
    let m = &received[0];
    assert_eq!(m["to"], "martin@exemple.fr", "{backend}");
    assert_eq!(m["from"], mailer::DEFAULT_FROM, "{backend}");
    assert_eq!(m["subject"], "[URGENT] Nouvelle mesure réservée : RG 00/12345", "{backend}");
    assert_eq!(m["content_type"], "multipart/alternative", "{backend}");
    let text = m["text"].as_str().expect("partie texte");
    assert!(text.contains("Curatelle renforcée") && text.contains("https://emjpm.test/mandataire?a=1&b=2"), "{backend} : {text}");
    let html = m["html"].as_str().expect("partie HTML");
    assert!(html.contains("href=\"https://emjpm.test/mandataire?a=1&amp;b=2\""), "{backend} : {html}");
    let sent = row(db).await;
    assert!(sent.envoye_at.is_some() && sent.reserve_jusqua.is_none() && sent.tentatives == 0, "{backend} : {sent:?}");
    // Nothing left to send, even later.
    let again = mailer::send_due(db, &transport, &from, now + Duration::hours(2)).await.expect("envoi");
    assert_eq!(again, mailer::Report::default(), "{backend}");
    assert_eq!(smtp.received().len(), 1, "{backend}");
}

async fn keeps_the_mail_while_the_server_is_down(db: &DatabaseConnection, python: &Path, backend: &str) {
    let port = free_port(); // nothing listens there yet
    let transport = mailer::transport(&format!("smtp://127.0.0.1:{port}")).expect("transport");
    notifications::enqueue(db, courriel("petit@exemple.fr")).await.expect("file");
    let now = Utc::now();
    let from = from();
    let report = mailer::send_due(db, &transport, &from, now).await.expect("envoi");
    assert_eq!(report, mailer::Report { envoyes: 0, echecs: 1 }, "{backend}");
    let queued = row(db).await;
    assert_eq!(queued.tentatives, 1, "{backend}");
    assert!(queued.envoye_at.is_none() && queued.reserve_jusqua.is_none(), "{backend} : {queued:?}");
    assert!(queued.derniere_erreur.as_deref().is_some_and(|e| e.contains("SMTP")), "{backend} : {queued:?}");
    let delay = queued.envoi_apres.signed_duration_since(now.fixed_offset());
    assert!(delay >= Duration::seconds(59) && delay <= Duration::seconds(61), "{backend} : nouvel essai dans {delay}");

    // The server comes back: nothing before the time has come, then one delivery.
    let smtp = Smtp::start(python, port);
    let early = mailer::send_due(db, &transport, &from, now + Duration::seconds(30)).await.expect("envoi");
    assert_eq!(early, mailer::Report::default(), "{backend} : trop tôt");
    assert!(smtp.received().is_empty(), "{backend}");
    let later = mailer::send_due(db, &transport, &from, now + Duration::seconds(61)).await.expect("envoi");
    assert_eq!(later.envoyes, 1, "{backend}");
    let received = smtp.received();
    assert_eq!(received.len(), 1, "{backend}");
    assert_eq!(received[0]["to"], "petit@exemple.fr", "{backend}");
    let sent = row(db).await;
    assert!(sent.envoye_at.is_some() && sent.tentatives == 1, "{backend} : {sent:?}");
}

async fn only_one_instance_claims_a_job(db: &DatabaseConnection, backend: &str) {
    let job = jobs::Job { nom: "essai", intervalle: Duration::minutes(10), bail: Duration::minutes(1) };
    let now = Utc::now();
    let (a, b) = tokio::join!(jobs::claim(db, &job, now), jobs::claim(db, &job, now));
    let (a, b) = (a.expect("réservation A"), b.expect("réservation B"));
    assert!(a ^ b, "{backend} : une seule instance exécute la tâche ({a}, {b})");
    // Neither due again nor free before the interval.
    assert!(!jobs::claim(db, &job, now + Duration::seconds(30)).await.expect("réservation"), "{backend}");
    jobs::finish(db, job.nom, now, &Ok("Tout va bien.".to_string())).await.expect("résultat");
    let row = app::db::entities::jobs::Entity::find_by_id("essai").one(db).await.expect("lecture").expect("ligne");
    assert_eq!(row.dernier_resultat.as_deref(), Some("Tout va bien."), "{backend}");
    assert_eq!(row.dernier_succes, Some(true), "{backend}");
    assert!(row.reserve_jusqua.is_none() && row.derniere_execution.is_some(), "{backend}");
    assert!(!jobs::claim(db, &job, now + Duration::minutes(9)).await.expect("réservation"), "{backend}");
    assert!(jobs::claim(db, &job, now + Duration::minutes(10)).await.expect("réservation"), "{backend}");
    // That run never finished (instance stopped): its lease expires, the job runs again.
    assert!(jobs::claim(db, &job, now + Duration::minutes(20)).await.expect("réservation"), "{backend} : bail expiré");
}

async fn expires_old_pending_reservations(db: &DatabaseConnection, python: &Path, backend: &str) {
    common::nord::fixture(db).await;
    db.execute_unprepared(
        "DELETE FROM courriels; UPDATE gestionnaires SET en_cours = 0, en_attente = 0; UPDATE antennes SET en_cours = 0, en_attente = 0;",
    )
    .await
    .expect("compteurs à zéro");
    let juge =
        users::Entity::find().filter(users::Column::Email.eq("juge.lille@exemple.fr")).one(db).await.expect("lecture").expect("juge");
    let now = Utc::now();
    let mut ids = Vec::new();
    for (rg, reserved) in [("00000001", now.checked_sub_months(Months::new(3))), ("00000002", now.checked_sub_months(Months::new(1)))] {
        let at = now.fixed_offset();
        let m = mesures::ActiveModel {
            gestionnaire_id: Set(1),
            tribunal_id: Set(1),
            numero_rg: Set(rg.to_string()),
            statut: Set("en_attente".to_string()),
            nature: Set("tutelle".to_string()),
            pays: Set("FR".to_string()),
            urgent: Set(false),
            reservee_par: Set(Some(juge.id)),
            date_reservation: Set(reserved.map(|d| d.fixed_offset())),
            created_at: Set(at),
            updated_at: Set(at),
            ..Default::default()
        }
        .insert(db)
        .await
        .expect("mesure");
        app::measures::counters::adjust(db, 1, None, 0, 1, app::measures::counters::Auteur::Tiers).await.expect("compteurs");
        ids.push(m.id);
    }
    assert!(app::measures::counters::verify(db).await.expect("vérification").is_empty(), "{backend} : compteurs de départ");

    let context = jobs::Context::new(mailer::Mailer::new(None, None).expect("config"), "https://emjpm.test/".to_string());
    let phrase = jobs::run_job(db, jobs::EXPIRATION_RESERVATIONS, &context, now).await.expect("tâche");
    assert_eq!(phrase, "1 réservation(s) expirée(s).", "{backend}");

    let old = mesures::Entity::find_by_id(ids[0]).one(db).await.expect("lecture").expect("mesure");
    assert_eq!(old.statut, "eteinte", "{backend}");
    assert_eq!(old.date_fin, Some(now.date_naive()), "{backend}");
    assert_eq!(old.cause_sortie, None, "{backend}");
    let recent = mesures::Entity::find_by_id(ids[1]).one(db).await.expect("lecture").expect("mesure");
    assert_eq!(recent.statut, "en_attente", "{backend} : une réservation d'un mois reste en attente");
    let ecarts = app::measures::counters::verify(db).await.expect("vérification");
    assert!(ecarts.is_empty(), "{backend} : {ecarts:?}");
    let g1: (i32, i32) = {
        let g = app::db::entities::gestionnaires::Entity::find_by_id(1).one(db).await.expect("lecture").expect("g1");
        (g.en_cours, g.en_attente)
    };
    assert_eq!(g1, (0, 1), "{backend}");
    let events = mesure_evenements::Entity::find()
        .filter(mesure_evenements::Column::MesureId.eq(ids[0]))
        .filter(mesure_evenements::Column::Action.eq("expiree"))
        .all(db)
        .await
        .expect("journal");
    assert_eq!(events.len(), 1, "{backend}");
    let audit = audit_events::Entity::find().filter(audit_events::Column::Action.eq("mesure.expiree")).all(db).await.expect("audit");
    assert_eq!(audit.len(), 1, "{backend}");

    let mut queued = courriels::Entity::find().all(db).await.expect("courriels");
    queued.sort_by(|a, b| a.destinataire.cmp(&b.destinataire));
    let to: Vec<&str> = queued.iter().map(|c| c.destinataire.as_str()).collect();
    assert_eq!(to, vec!["juge.lille@exemple.fr", "martin@exemple.fr"], "{backend}");
    for c in &queued {
        assert_eq!(c.sujet, "Réservation expirée : RG 00/00001", "{backend}");
        assert!(c.texte.contains("Tribunal judiciaire de Lille") && c.texte.contains("Alice Martin"), "{backend} : {}", c.texte);
    }
    assert!(queued[0].texte.contains("https://emjpm.test/tribunal"), "{backend}");
    assert!(queued[1].texte.contains("https://emjpm.test/mandataire"), "{backend}");

    // A second run (another instance, an hour later) finds nothing to do.
    let bilan = app::measures::expiry::expire_pending(db, now + Duration::hours(1), "https://emjpm.test").await.expect("expiration");
    assert_eq!(bilan.expirees, 0, "{backend}");
    assert_eq!(courriels::Entity::find().all(db).await.expect("courriels").len(), 2, "{backend}");

    // The two notices go out through the mail job.
    let smtp = Smtp::start(python, free_port());
    let context = jobs::Context::new(
        mailer::Mailer::new(Some(&format!("smtp://127.0.0.1:{}", smtp.port)), None).expect("config"),
        "https://emjpm.test".to_string(),
    );
    let phrase = jobs::run_job(db, jobs::ENVOI_COURRIELS, &context, Utc::now()).await.expect("tâche");
    assert_eq!(phrase, "2 courriel(s) envoyé(s).", "{backend}");
    assert_eq!(smtp.received().len(), 2, "{backend}");
}
