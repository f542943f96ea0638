//! Control characters (NUL, BEL, escape…) are refused in every text a form, a
//! JSON body or a server function sends, before any handler runs, on SQLite and
//! PostgreSQL: a French message names the field and nothing is written. Line
//! breaks and tabs are text in multi-line fields (a judge's observation), and
//! only there.

use crate::common;

use axum::body::Body;
use axum::http::{header, Request};
use common::nord::{fixture, login, send_json};
use common::{count, send};
use sea_orm::ConnectionTrait;
use serde_json::json;

fn form(cookie: &str, uri: &str, fields: &[(&str, &str)], referer: Option<&str>) -> Request<Body> {
    let mut request = Request::post(uri).header(header::COOKIE, cookie).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(referer) = referer {
        request = request.header(header::REFERER, referer);
    }
    request.body(Body::from(serde_urlencoded::to_string(fields).expect("formulaire"))).expect("req")
}

fn reservation(rg: &str, cabinet: &str) -> serde_json::Value {
    json!({ "gestionnaire_id": 1, "numero_rg": rg, "cabinet": cabinet, "civilite": "madame",
            "annee_naissance": 1940, "nature": "tutelle", "urgent": false })
}

#[tokio::test]
async fn control_characters_are_refused_in_every_text_and_nothing_is_written() {
    for t in common::databases().await {
        fixture(&t.db).await;
        let b = t.backend;
        let app = common::app(&t.db);
        let juge = login(&app, "juge.lille@exemple.fr").await;
        let admin = login(&app, "admin@exemple.fr").await;
        let mesures = count(&t.db, "mesures").await;

        // The JSON API: 422 naming the field, nothing stored.
        for (cabinet, rg, field) in [
            ("a\u{0}b", "CTRL/1", "cabinet"),
            ("a\u{1b}[31mb", "CTRL/2", "cabinet"),
            ("a\nb", "CTRL/3", "cabinet"),
            ("A", "CTRL/\u{7}4", "numero_rg"),
        ] {
            let (status, body) = send_json(&app, Some(&juge), "POST", "/api/v1/mesures", reservation(rg, cabinet)).await;
            assert_eq!(status, 422, "{b}: {cabinet:?} {rg:?}: {body}");
            let message = body["champs"][field].as_str().unwrap_or_else(|| panic!("{b}: {field} named: {body}"));
            assert!(message.contains(&format!("« {field} »")) && message.contains("caractère de contrôle"), "{b}: {message}");
            assert!(body["erreur"].as_str().expect("erreur").contains("caractère de contrôle"), "{b}: {body}");
        }
        assert_eq!(count(&t.db, "mesures").await, mesures, "{b}: nothing reserved");
        let (status, body) = send_json(&app, Some(&juge), "POST", "/api/v1/mesures", reservation("CTRL/5", "Cabinet 3")).await;
        assert_eq!(status, 201, "{b}: ordinary text still passes: {body}");

        // A plain form: back to the page it was sent from, with the message;
        // without a page to go back to, 422. Nothing stored either way.
        let page = "/tribunal/mandataires/1/reserver";
        let fields =
            [("numero_rg", "CTRL/6"), ("cabinet", "a\u{0}b"), ("civilite", "madame"), ("annee_naissance", "1940"), ("nature", "tutelle")];
        let (status, headers, _) = send(&app, form(&juge, page, &fields, Some(&format!("http://emjpm.test{page}?erreur=ancienne")))).await;
        let location = crate::common::where_sent(&headers);
        assert_eq!(status, 303, "{b}");
        assert!(
            location.starts_with(&format!("{page}?erreur=")) && location.contains("cabinet") && !location.contains("ancienne"),
            "{b}: {location}"
        );
        assert!(!location.contains("a%00b") && !location.contains("CTRL"), "{b}: nothing typed travels back: {location}");
        let (status, _, body) = send(&app, form(&juge, page, &fields, Some("https://ailleurs.example/piege"))).await;
        assert_eq!(status, 422, "{b}: another site's page is not a way back: {body}");
        let (status, _, body) = send(&app, form(&juge, page, &fields, None)).await;
        assert_eq!(status, 422, "{b}: {body}");
        assert!(body.contains("cabinet"), "{b}: {body}");
        assert_eq!(count(&t.db, "mesures").await, mesures + 1, "{b}: nothing reserved by the forms");

        // A server function: its own error, naming the field; a multi-line field
        // keeps its line breaks and tabs, and nothing else.
        let note = |contenu: &str| {
            Request::post("/api/fn/ajouter_note")
                .header(header::COOKIE, &juge)
                .header(header::ACCEPT, "application/json")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(serde_urlencoded::to_string([("gestionnaire_id", "1"), ("contenu", contenu)]).expect("args")))
                .expect("req")
        };
        let (status, headers, body) = send(&app, note("Joignable\u{0} le matin")).await;
        assert_eq!(status, 422, "{b}: {body}");
        assert!(headers.contains_key("serverfnerror"), "{b}");
        match serde_json::from_str::<app::errors::AppError>(&body).expect("AppError") {
            app::errors::AppError::Champs(champs) => assert_eq!(champs[0].0, "contenu", "{b}: {champs:?}"),
            other => panic!("{b}: {other:?}"),
        }
        let (status, _, body) = send(&app, note("Joignable le matin,\r\n\tpas le soir.")).await;
        assert_eq!(status, 200, "{b}: {body}");
        assert_eq!(count(&t.db, "notes").await, 1, "{b}");

        // The administrators' list: a `retour` with a control character changes
        // nothing and never fails half-way.
        let petit =
            t.db.query_one_raw(sea_orm::Statement::from_string(
                t.db.get_database_backend(),
                "SELECT id FROM users WHERE email = 'petit@exemple.fr'".to_string(),
            ))
            .await
            .expect("lecture")
            .expect("ligne")
            .try_get_by_index::<i32>(0)
            .expect("id");
        for retour in ["/admin/comptes?q=petit\u{1}", "/admin/comptes\r\nSet-Cookie: x=1", "/admin/comptes\u{0}"] {
            let (status, headers, body) =
                send(&app, form(&admin, &format!("/admin/comptes/{petit}/desactiver"), &[("retour", retour)], None)).await;
            assert!(status < 500, "{b}: {retour:?}: {status} {body}");
            assert!(!headers.contains_key(header::SET_COOKIE), "{b}");
            assert!(body.contains("retour"), "{b}: {body}");
        }
        assert_eq!(count(&t.db, "users WHERE email = 'petit@exemple.fr' AND active = true").await, 1, "{b}: still active");
        assert_eq!(count(&t.db, "audit_events WHERE action = 'compte_desactive'").await, 0, "{b}");
        let (status, headers, _) =
            send(&app, form(&admin, &format!("/admin/comptes/{petit}/desactiver"), &[("retour", "/admin/comptes?q=petit")], None)).await;
        assert_eq!((status, headers[header::LOCATION].to_str().expect("ascii")), (303, "/admin/comptes?q=petit&fait=desactive"), "{b}");
        t.cleanup().await;
    }
}
