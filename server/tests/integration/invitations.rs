//! The team's invitations, on SQLite and PostgreSQL: a contacts file checked
//! whole (line and column named, nothing imported when one line is wrong),
//! people already there reported; the invitations mailed once each even when
//! two administrators click together; the personal link opened, used once,
//! expired, declined; a sign-up through it validated at once when it says what
//! the team imported, otherwise left to the team; the one reminder.

use crate::common;

use common::client::{last_mail, submit};
use common::nord::{fixture, login, page_html};
use sea_orm::ConnectionTrait;

/// A multipart form as a browser sends it: the territory and a file.
fn import_request(cookie: &str, departement: &str, nom: &str, octets: &[u8]) -> axum::http::Request<axum::body::Body> {
    let limite = "emjpm-limite-1234";
    let mut corps = format!(
        "--{limite}\r\nContent-Disposition: form-data; name=\"departement\"\r\n\r\n{departement}\r\n\
         --{limite}\r\nContent-Disposition: form-data; name=\"fichier\"; filename=\"{nom}\"\r\nContent-Type: text/csv\r\n\r\n"
    )
    .into_bytes();
    corps.extend_from_slice(octets);
    corps.extend_from_slice(format!("\r\n--{limite}--\r\n").as_bytes());
    axum::http::Request::post("/admin/invitations/import")
        .header(axum::http::header::COOKIE, cookie)
        .header(axum::http::header::CONTENT_TYPE, format!("multipart/form-data; boundary={limite}"))
        .body(axum::body::Body::from(corps))
        .expect("requête")
}

async fn import(app: &axum::Router, cookie: &str, departement: &str, octets: &[u8]) -> String {
    let (status, headers, body) = common::send(app, import_request(cookie, departement, "contacts.csv", octets)).await;
    assert_eq!(status, 303, "{body}");
    common::where_sent(&headers)
}

/// The reference data the file names: an individuel's SIRET, an établissement's FINESS.
async fn references(db: &sea_orm::DatabaseConnection) {
    db.execute_unprepared(
        "INSERT INTO liste_blanche (id, type, nom, prenom, siret, created_at, updated_at) \
         VALUES (7, 'individuel', 'Lambert', 'Camille', '73282932000074', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP); \
         INSERT INTO liste_blanche_departements (liste_blanche_id, departement_code, financeur) VALUES (7, '59', true); \
         UPDATE etablissements SET finess = '590780193' WHERE id = 1;",
    )
    .await
    .expect("références");
}

const BON: &str = "role;email;prenom;nom;rattachement\n\
                   magistrat;Nouvelle.Juge@justice.fr;Nadia;Nouvel;Tribunal judiciaire de Lille\n\
                   greffier;nouveau.greffe@justice.fr;Noé;Greffe;tribunal judiciaire d'arras\n\
                   service;recrue@atmp.fr;Rita;Recrue;123 456 789 00003\n\
                   individuel;lambert@exemple.fr;Camille;Lambert;732 829 320 00074\n\
                   préposé;durand.chloe@chu.fr;Chloé;Durand;590780193\n\
                   direction;agent@ddets59.gouv.fr;Axel;Agent;\n\
                   magistrat;juge.lille@exemple.fr;Déjà;Là;Tribunal judiciaire de Lille\n";

#[tokio::test]
async fn a_contacts_file_is_checked_whole_and_people_already_there_are_reported() {
    for t in common::databases().await {
        fixture(&t.db).await;
        references(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let admin = login(&app, "admin@exemple.fr").await;

        // One wrong line of each kind: nothing is imported, each is named.
        let faux = "role;email;prenom;nom;rattachement\n\
                    magistrat;ok@justice.fr;Olga;Ok;Tribunal judiciaire de Lille\n\
                    avocat;avocat@exemple.fr;Alain;Avocat;Lille\n\
                    magistrat;inconnu@justice.fr;Ines;Inconnu;Tribunal de Nulle Part\n\
                    greffier;pas une adresse;Paul;Petit;Tribunal judiciaire de Lille\n\
                    greffier;OK@justice.fr;Olga;Double;Tribunal judiciaire de Lille\n";
        let sent = import(&app, &admin, "59", faux.as_bytes()).await;
        assert!(sent.starts_with("/admin/invitations?saisie=1"), "{b}: {sent}");
        let page = common::nord::refused_page(&app, &admin, &sent).await;
        for message in [
            "Rien n'est importé",
            "Ligne 3, colonne « role » : rôle inconnu « avocat »",
            "Ligne 4, colonne « rattachement » : aucun tribunal « Tribunal de Nulle Part »",
            "Ligne 5, colonne « email » : « pas une adresse »",
            "Ligne 6, colonne « email » : ok@justice.fr figure déjà ligne 2.",
        ] {
            assert!(page.contains(message), "{b}: {message} absent de {}", common::nord::excerpt(&page, "Le fichier n"));
        }
        assert_eq!(common::count(&t.db, "invitations").await, 0, "{b}: rien d'importé");
        // Not a text file of a known encoding.
        let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain("role;email\n".encode_utf16().flat_map(|u| u.to_le_bytes())).collect();
        let sent = import(&app, &admin, "59", &utf16).await;
        assert!(sent.contains("UTF-8"), "{b}: {sent}");
        assert_eq!(common::count(&t.db, "invitations").await, 0, "{b}");

        // A good file, with one person who already has an account.
        let sent = import(&app, &admin, "59", BON.as_bytes()).await;
        assert_eq!(sent, "/admin/invitations?departement=59&fait=import", "{b}");
        assert_eq!(common::count(&t.db, "invitations").await, 6, "{b}");
        let row =
            t.db.query_one_raw(sea_orm::Statement::from_string(
                t.db.get_database_backend(),
                "SELECT importees, signalements FROM imports_invitations ORDER BY id DESC",
            ))
            .await
            .expect("lecture")
            .expect("import");
        let (importees, signalements): (i32, String) =
            (row.try_get("", "importees").expect("n"), row.try_get("", "signalements").expect("s"));
        assert_eq!(importees, 6, "{b}");
        assert_eq!(signalements, "Ligne 8 : juge.lille@exemple.fr a déjà un compte.", "{b}");
        // The attachments found: Lille and Arras by name, the service by SIRET,
        // Lambert's liste blanche entry, Durand at the CHU, a direction.
        let attachments =
            t.db.query_all_raw(sea_orm::Statement::from_string(
                t.db.get_database_backend(),
                "SELECT email, tribunal_id, service_id, liste_blanche_id, etablissement_id FROM invitations ORDER BY id",
            ))
            .await
            .expect("lecture");
        type Attachment = (String, Option<i32>, Option<i32>, Option<i32>, Option<i32>);
        let found: Vec<Attachment> = attachments
            .iter()
            .map(|r| {
                (
                    r.try_get("", "email").expect("e"),
                    r.try_get("", "tribunal_id").expect("t"),
                    r.try_get("", "service_id").expect("s"),
                    r.try_get("", "liste_blanche_id").expect("l"),
                    r.try_get("", "etablissement_id").expect("é"),
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                ("nouvelle.juge@justice.fr".to_string(), Some(1), None, None, None),
                ("nouveau.greffe@justice.fr".to_string(), Some(2), None, None, None),
                ("recrue@atmp.fr".to_string(), None, Some(3), None, None),
                ("lambert@exemple.fr".to_string(), None, None, Some(7), None),
                ("durand.chloe@chu.fr".to_string(), None, None, Some(4), Some(1)),
                ("agent@ddets59.gouv.fr".to_string(), None, None, None, None),
            ],
            "{b}"
        );
        // The same file again: everyone reported, nobody invited twice.
        import(&app, &admin, "59", BON.as_bytes()).await;
        assert_eq!(common::count(&t.db, "invitations").await, 6, "{b}");
        let page = page_html(&app, &admin, "/admin/invitations?departement=59").await;
        assert!(page.contains("nouvelle.juge@justice.fr est déjà invitée"), "{b}");
        assert!(
            page.contains("6 invitations à envoyer") || page.contains("Envoyer 6 invitations"),
            "{b}: {}",
            common::nord::excerpt(&page, "Envoyer")
        );
        // Only the team imports.
        let juge = login(&app, "juge.lille@exemple.fr").await;
        let (status, _, _) = common::send(&app, import_request(&juge, "59", "x.csv", BON.as_bytes())).await;
        assert_eq!(status, 403, "{b}");
        t.cleanup().await;
    }
}

/// The token of the invitation link in the newest mail to `email`.
async fn link_token(db: &sea_orm::DatabaseConnection, email: &str) -> String {
    let texte = last_mail(db, email).await.texte;
    let start = texte.find("/invitation/").expect("lien") + "/invitation/".len();
    texte[start..].chars().take_while(char::is_ascii_hexdigit).collect()
}

async fn active(db: &sea_orm::DatabaseConnection, email: &str) -> Option<bool> {
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            format!("SELECT active FROM users WHERE email = '{email}'"),
        ))
        .await
        .expect("lecture")?;
    Some(row.try_get("", "active").expect("active"))
}

fn sign_up<'a>(role: &'a str, email: &'a str, jeton: &'a str, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("role", role),
        ("prenom", "Nadia"),
        ("nom", "Nouvel"),
        ("email", email),
        ("nouveau", "une phrase assez longue"),
        ("confirmation", "une phrase assez longue"),
        ("invitation", jeton),
    ];
    form.extend_from_slice(extra);
    form
}

#[tokio::test]
async fn an_invitation_is_mailed_once_used_once_and_validates_a_sign_up_that_says_what_was_imported() {
    for t in common::databases().await {
        fixture(&t.db).await;
        references(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let admin = login(&app, "admin@exemple.fr").await;
        import(&app, &admin, "59", BON.as_bytes()).await;
        // Two administrators send at the same moment: each person gets one mail.
        let other = login(&app, "admin@exemple.fr").await;
        let (a, c) = tokio::join!(
            submit(&app, Some(&admin), "/admin/invitations/envoyer", &[("departement", "59")]),
            submit(&app, Some(&other), "/admin/invitations/envoyer", &[("departement", "59")])
        );
        assert_eq!((a.0, c.0), (303, 303), "{b}");
        let mails = common::count(&t.db, "courriels WHERE sujet = 'Votre invitation à e-MJPM'").await;
        assert_eq!(mails, 6, "{b}: {a:?} {c:?}");
        assert_eq!(common::count(&t.db, "invitations WHERE envoyee_at IS NOT NULL AND jeton_hash IS NOT NULL").await, 6, "{b}");

        // The judge opens the link: the form is filled in, the opening recorded.
        let jeton = link_token(&t.db, "nouvelle.juge@justice.fr").await;
        let page = page_html(&app, "", &format!("/invitation/{jeton}")).await;
        assert!(page.contains("value=\"nouvelle.juge@justice.fr\""), "{b}: {}", common::nord::excerpt(&page, "email"));
        assert!(page.contains("<option value=\"1\" selected"), "{b}: the tribunal chosen");
        assert_eq!(common::count(&t.db, "invitations WHERE ouverte_at IS NOT NULL").await, 1, "{b}");
        // She signs up as imported: active at once, told by mail.
        let form = sign_up("magistrat", "nouvelle.juge@justice.fr", &jeton, &[("tribunal_id", "1")]);
        let (status, sent) = submit(&app, None, "/inscription", &form).await;
        assert_eq!((status, sent.as_str()), (303, "/inscription?envoye=1&active=1"), "{b}");
        assert_eq!(active(&t.db, "nouvelle.juge@justice.fr").await, Some(true), "{b}");
        assert_eq!(last_mail(&t.db, "nouvelle.juge@justice.fr").await.sujet, "Votre compte e-MJPM est activé", "{b}");
        assert_eq!(common::count(&t.db, "inscriptions").await, 0, "{b}: nothing left for the team");
        assert_eq!(common::count(&t.db, "invitations WHERE user_id IS NOT NULL AND compte_cree_at IS NOT NULL").await, 1, "{b}");
        // The link served once.
        let again = sign_up("magistrat", "autre.juge@justice.fr", &jeton, &[("tribunal_id", "1")]);
        let (status, sent) = submit(&app, None, "/inscription", &again).await;
        assert_eq!(status, 303, "{b}");
        assert!(sent.starts_with(&format!("/invitation/{jeton}?saisie=1")) && sent.contains("plus+valable"), "{b}: {sent}");
        assert_eq!(active(&t.db, "autre.juge@justice.fr").await, None, "{b}: no account");
        let page = page_html(&app, "", &format!("/invitation/{jeton}")).await;
        assert!(page.contains("plus valable"), "{b}");

        // The greffier chooses another tribunal: the account waits for the team.
        let jeton = link_token(&t.db, "nouveau.greffe@justice.fr").await;
        let form = sign_up("greffier", "nouveau.greffe@justice.fr", &jeton, &[("tribunal_id", "1")]);
        let (status, sent) = submit(&app, None, "/inscription", &form).await;
        assert_eq!((status, sent.as_str()), (303, "/inscription?envoye=1"), "{b}");
        assert_eq!(active(&t.db, "nouveau.greffe@justice.fr").await, Some(false), "{b}");
        assert_eq!(common::count(&t.db, "inscriptions").await, 1, "{b}");

        // The individuel signs up with the SIRET imported: linked to its liste
        // blanche entry (approved in the Nord), active.
        let jeton = link_token(&t.db, "lambert@exemple.fr").await;
        let extra = [
            ("telephone", "0320123456"),
            ("siret", "73282932000074"),
            ("adresse", "3 rue Esquermoise"),
            ("commune", "Lille (59000)"),
            ("mesures_max", "25"),
        ];
        let form = sign_up("individuel", "lambert@exemple.fr", &jeton, &extra);
        let (status, sent) = submit(&app, None, "/inscription", &form).await;
        assert_eq!((status, sent.as_str()), (303, "/inscription?envoye=1&active=1"), "{b}");
        assert_eq!(common::count(&t.db, "gestionnaires WHERE liste_blanche_id = 7 AND email = 'lambert@exemple.fr'").await, 1, "{b}");

        // Durand's entry already belongs to a gestionnaire: the team decides.
        let jeton = link_token(&t.db, "durand.chloe@chu.fr").await;
        let extra = [("telephone", "0320123456"), ("etablissement_id", "1"), ("mesures_max", "10")];
        let form = sign_up("prepose", "durand.chloe@chu.fr", &jeton, &extra);
        let (status, sent) = submit(&app, None, "/inscription", &form).await;
        assert_eq!((status, sent.as_str()), (303, "/inscription?envoye=1"), "{b}");
        assert_eq!(active(&t.db, "durand.chloe@chu.fr").await, Some(false), "{b}");

        // The page follows each life.
        let page = page_html(&app, &admin, "/admin/invitations?departement=59").await;
        assert!(page.contains("Compte créé"), "{b}");
        assert!(page.contains("Lien ouvert"), "{b}");
        t.cleanup().await;
    }
}

#[tokio::test]
async fn an_expired_or_declined_invitation_opens_nothing_and_the_reminder_goes_once() {
    for t in common::databases().await {
        fixture(&t.db).await;
        references(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let admin = login(&app, "admin@exemple.fr").await;
        import(&app, &admin, "59", BON.as_bytes()).await;
        submit(&app, Some(&admin), "/admin/invitations/envoyer", &[("departement", "59")]).await;

        // Eight days later, the reminder goes once, with a link of its own;
        // both links open the form.
        let first = link_token(&t.db, "recrue@atmp.fr").await;
        let eight_days_ago = (chrono::Utc::now() - chrono::Duration::days(8)).to_rfc3339();
        t.db.execute_unprepared(&format!("UPDATE invitations SET envoyee_at = '{eight_days_ago}' WHERE email <> 'agent@ddets59.gouv.fr'"))
            .await
            .expect("âge");
        let base = "http://localhost";
        assert_eq!(app::invitations::service::rappeler(&t.db, base, chrono::Utc::now()).await.expect("rappel"), 5, "{b}");
        assert_eq!(app::invitations::service::rappeler(&t.db, base, chrono::Utc::now()).await.expect("rappel"), 0, "{b}: once");
        assert_eq!(last_mail(&t.db, "recrue@atmp.fr").await.sujet, "Rappel : votre invitation à e-MJPM", "{b}");
        let second = link_token(&t.db, "recrue@atmp.fr").await;
        assert_ne!(first, second, "{b}");
        for jeton in [&first, &second] {
            let page = page_html(&app, "", &format!("/invitation/{jeton}")).await;
            assert!(page.contains("value=\"recrue@atmp.fr\""), "{b}");
        }

        // The users to rescue list them, without an account; the team re-sends
        // one with a fresh link, once (two clicks, one mail).
        let (status, list) = common::nord::get(&app, Some(&admin), "/api/v1/a-relancer").await;
        assert_eq!(status, 200, "{b}");
        let invitees: Vec<&serde_json::Value> =
            list.as_array().expect("liste").iter().filter(|p| p["raison"] == "invitation_inutilisee").collect();
        assert_eq!(invitees.len(), 5, "{b}: {list}");
        assert!(invitees.iter().all(|p| p["compte_id"].is_null() && p["invitation_id"].is_i64()), "{b}");
        let recrue = invitees.iter().find(|p| p["email"] == "recrue@atmp.fr").expect("recrue");
        let uri = format!("/admin/invitations/{}/renvoyer", recrue["invitation_id"]);
        let mails = common::count(&t.db, "courriels WHERE destinataire = 'recrue@atmp.fr'").await;
        // (Within the hour of the automatic reminder it is refused: said, nothing sent.)
        let (status, sent) = submit(&app, Some(&admin), &uri, &[]).await;
        assert!(status == 303 && sent.contains("vient+de+l"), "{b}: {sent}");
        let two_hours_ago = (chrono::Utc::now() - chrono::Duration::hours(2)).to_rfc3339();
        t.db.execute_unprepared(&format!("UPDATE invitations SET rappel_at = '{two_hours_ago}'")).await.expect("rappel");
        let (status, sent) = submit(&app, Some(&admin), &uri, &[]).await;
        assert_eq!((status, sent.as_str()), (303, "/admin/a-relancer?fait=renvoi"), "{b}");
        let (status, sent) = submit(&app, Some(&admin), &uri, &[]).await;
        assert!(status == 303 && sent.contains("saisie=1"), "{b}: {sent}");
        assert_eq!(common::count(&t.db, "courriels WHERE destinataire = 'recrue@atmp.fr'").await, mails + 1, "{b}");
        let second = link_token(&t.db, "recrue@atmp.fr").await;
        let page = page_html(&app, "", &format!("/invitation/{second}")).await;
        assert!(page.contains("value=\"recrue@atmp.fr\""), "{b}");

        // Declined: for good — the page says so, no sign-up through it, a new
        // import reports the address.
        let (status, sent) = submit(&app, None, &format!("/invitation/{first}/ne-plus-recevoir"), &[]).await;
        assert_eq!((status, sent.clone()), (303, format!("/invitation/{first}?fait=desinscription")), "{b}");
        let page = page_html(&app, "", &sent).await;
        assert!(page.contains("vous ne recevrez plus d"), "{b}");
        let form = sign_up("service", "recrue@atmp.fr", &second, &[("service_id", "3")]);
        let (_, sent) = submit(&app, None, "/inscription", &form).await;
        assert!(sent.contains("plus+valable"), "{b}: {sent}");
        assert_eq!(active(&t.db, "recrue@atmp.fr").await, None, "{b}");
        import(&app, &admin, "59", BON.as_bytes()).await;
        let page = page_html(&app, &admin, "/admin/invitations").await;
        assert!(page.contains("recrue@atmp.fr a demandé à ne plus recevoir d'invitation"), "{b}");

        // Expired: the link opens nothing, and a new import renews it.
        t.db.execute_unprepared("UPDATE invitations SET expire_at = '2020-01-01T00:00:00+00:00' WHERE email = 'agent@ddets59.gouv.fr'")
            .await
            .expect("expiration");
        let jeton = link_token(&t.db, "agent@ddets59.gouv.fr").await;
        let page = page_html(&app, "", &format!("/invitation/{jeton}")).await;
        assert!(page.contains("plus valable"), "{b}");
        let form = sign_up(
            "direction",
            "agent@ddets59.gouv.fr",
            &jeton,
            &[("direction_type", "departemental"), ("departement_code", "59"), ("structure", "DDETS")],
        );
        let (_, sent) = submit(&app, None, "/inscription", &form).await;
        assert!(sent.contains("plus+valable"), "{b}: {sent}");
        import(&app, &admin, "59", BON.as_bytes()).await;
        assert_eq!(
            common::count(&t.db, "invitations WHERE email = 'agent@ddets59.gouv.fr' AND envoyee_at IS NULL AND jeton_hash IS NULL").await,
            1,
            "{b}: renewed, to send again"
        );
        t.cleanup().await;
    }
}

/// A sign-up posted from a network address (the per-address limit reads it):
/// where the browser is sent.
async fn sign_up_from(app: &axum::Router, ip: &str, form: &[(&str, &str)]) -> String {
    let mut request = axum::http::Request::post("/inscription")
        .header(axum::http::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(axum::body::Body::from(serde_urlencoded::to_string(form).expect("formulaire")))
        .expect("requête");
    let addr: std::net::SocketAddr = format!("{ip}:4000").parse().expect("adresse");
    request.extensions_mut().insert(axum::extract::ConnectInfo(addr));
    let (_, headers, _) = common::send(app, request).await;
    common::where_sent(&headers)
}

/// A tribunal behind one address answers the team's invitations the same
/// morning: those sign-ups are not held back by the limit of 10 sign-ups an
/// hour per address, and do not use it up for the others (before, the
/// invited ones were refused past 10, then they counted against the rest).
#[tokio::test]
async fn invited_sign_ups_are_neither_refused_by_nor_counted_against_the_per_address_limit() {
    for t in common::databases().await {
        fixture(&t.db).await;
        references(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let admin = login(&app, "admin@exemple.fr").await;
        import(&app, &admin, "59", BON.as_bytes()).await;
        submit(&app, Some(&admin), "/admin/invitations/envoyer", &[("departement", "59")]).await;
        let ip = "198.51.100.9";
        let plain = |n: usize| format!("greffe{n}@exemple.fr");
        let plain_form = |email: &str| -> Vec<(String, String)> {
            [("role", "greffier"), ("prenom", "A"), ("nom", "B"), ("email", email), ("tribunal_id", "1")]
                .into_iter()
                .chain([("nouveau", "une phrase assez longue"), ("confirmation", "une phrase assez longue")])
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        for n in 0..9 {
            let form = plain_form(&plain(n));
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            assert_eq!(sign_up_from(&app, ip, &form).await, "/inscription?envoye=1", "{b}: {n}");
        }
        // Two invited people behind the same address: both through.
        for (role, email, tribunal) in [("magistrat", "nouvelle.juge@justice.fr", "1"), ("greffier", "nouveau.greffe@justice.fr", "2")] {
            let jeton = link_token(&t.db, email).await;
            let form = sign_up(role, email, &jeton, &[("tribunal_id", tribunal)]);
            let sent = sign_up_from(&app, ip, &form).await;
            assert!(sent.starts_with("/inscription?envoye=1"), "{b}: {email}: {sent}");
        }
        // They did not use the address's ten: the tenth plain sign-up goes through, the eleventh waits.
        for (n, attendu) in [(9, true), (10, false)] {
            let form = plain_form(&plain(n));
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let sent = sign_up_from(&app, ip, &form).await;
            assert_eq!(sent == "/inscription?envoye=1", attendu, "{b}: {n}: {sent}");
        }
        t.cleanup().await;
    }
}
