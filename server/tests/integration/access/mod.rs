//! Runs the access matrix (`matrix.rs`): every route of the product, for every
//! actor, allowed or refused as the table says.
//!
//! - Refusals (and every read) run on one shared world, on SQLite and
//!   PostgreSQL; afterwards the measures, notes and counters must be exactly as
//!   before: a refused request changed nothing.
//! - Allowed writes run each on a fresh world (SQLite), so that one allowed
//!   change (a cancellation…) cannot hide the next actor's right.
//! - Completeness: every route written in the code (`.route("…", …)`), every
//!   server function and every page must have its row, and every row a route.

mod matrix;

use crate::common;
use axum::body::Body;
use axum::http::{header, Request};
use common::insert_user;
use common::nord::{fixture, login, send_json};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use std::collections::{BTreeSet, HashMap};
use tower::ServiceExt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Acteur {
    Anonyme,
    JugeLille,
    GreffeLille,
    JugeArras,
    Martin,
    Petit,
    AtmpAdmin,
    AtmpMembre,
    Direction,
    Admin,
}

impl Acteur {
    const TOUS: [Acteur; 10] = [
        Acteur::Anonyme,
        Acteur::JugeLille,
        Acteur::GreffeLille,
        Acteur::JugeArras,
        Acteur::Martin,
        Acteur::Petit,
        Acteur::AtmpAdmin,
        Acteur::AtmpMembre,
        Acteur::Direction,
        Acteur::Admin,
    ];

    fn email(self) -> Option<&'static str> {
        Some(match self {
            Acteur::Anonyme => return None,
            Acteur::JugeLille => "juge.lille@exemple.fr",
            Acteur::GreffeLille => "greffe.lille@exemple.fr",
            Acteur::JugeArras => "juge.arras@exemple.fr",
            Acteur::Martin => "martin@exemple.fr",
            Acteur::Petit => "petit@exemple.fr",
            Acteur::AtmpAdmin => "atmp.admin@exemple.fr",
            Acteur::AtmpMembre => "atmp.membre@exemple.fr",
            Acteur::Direction => "ddets59@exemple.fr",
            Acteur::Admin => "admin@exemple.fr",
        })
    }

    fn home(self) -> &'static str {
        match self {
            Acteur::Anonyme => "/connexion",
            Acteur::JugeLille | Acteur::GreffeLille | Acteur::JugeArras => "/tribunal",
            Acteur::Martin | Acteur::Petit | Acteur::AtmpAdmin | Acteur::AtmpMembre => "/mandataire",
            Acteur::Direction => "/direction",
            Acteur::Admin => "/admin",
        }
    }
}

pub enum Corps {
    Vide,
    Json(&'static str),
    /// A plain HTML form post.
    Form(&'static str),
    /// A server function call (url-encoded arguments, JSON answer).
    Fonction(&'static str),
}

pub struct Ligne {
    pub methode: &'static str,
    pub chemin: &'static str,
    pub corps: Corps,
    pub permis: &'static [Acteur],
}

impl Ligne {
    /// Open to everyone, signed in or not.
    fn public(&self) -> bool {
        Acteur::TOUS.iter().all(|a| self.permis.contains(a))
    }

    /// Whether an allowed call may change data (reads and the server functions
    /// that load a page do not).
    fn ecrit(&self) -> bool {
        let fonction = self.chemin.strip_prefix("/api/fn/");
        match fonction {
            Some(nom) => nom.ends_with("_note"),
            None => self.methode != "GET",
        }
    }
}

/// The objects of the world, by placeholder.
struct Monde {
    app: axum::Router,
    cookies: HashMap<Acteur, String>,
    ids: Vec<(&'static str, String)>,
}

impl Monde {
    fn fill(&self, text: &str) -> String {
        self.ids.iter().fold(text.to_string(), |t, (k, v)| t.replace(k, v))
    }

    fn request(&self, ligne: &Ligne, acteur: Acteur) -> Request<Body> {
        let mut request = Request::builder().method(ligne.methode).uri(self.fill(ligne.chemin));
        if let Some(cookie) = self.cookies.get(&acteur) {
            request = request.header(header::COOKIE, cookie);
        }
        let (content_type, body) = match &ligne.corps {
            Corps::Vide => (None, String::new()),
            Corps::Json(json) => (Some("application/json"), self.fill(json)),
            Corps::Form(form) => (Some("application/x-www-form-urlencoded"), self.fill(form)),
            Corps::Fonction(args) => {
                request = request.header(header::ACCEPT, "application/json");
                (Some("application/x-www-form-urlencoded"), self.fill(args))
            }
        };
        if let Some(content_type) = content_type {
            request = request.header(header::CONTENT_TYPE, content_type);
        }
        request.body(Body::from(body)).expect("requête")
    }

    /// Status and `Location` (the body is not read: the event stream never ends).
    async fn call(&self, ligne: &Ligne, acteur: Acteur) -> (u16, String) {
        let response = self.app.clone().oneshot(self.request(ligne, acteur)).await.expect("réponse");
        let location = crate::common::where_sent(response.headers());
        (response.status().as_u16(), location)
    }
}

/// Refused: 401, 403, 404, or sent to the sign-in page, to one's own home, or
/// back to a form with "not found" (an object out of scope).
fn refused(acteur: Acteur, status: u16, location: &str) -> bool {
    match status {
        401 | 403 | 404 => true,
        303 | 302 | 307 => {
            location == "/connexion"
                || location == acteur.home()
                || location.contains("erreur=%C3%89l%C3%A9ment%20introuvable")
                || location.contains("erreur=%C3%89l%C3%A9ment+introuvable")
        }
        _ => false,
    }
}

async fn build_world(db: &DatabaseConnection, acteurs: &[Acteur]) -> Monde {
    fixture(db).await;
    let direction = common::nord::ddets_du_nord(db).await;
    let app = common::app(db);
    let mut cookies = HashMap::new();
    for acteur in acteurs.iter().copied().chain([Acteur::JugeLille, Acteur::JugeArras]) {
        if let (Some(email), false) = (acteur.email(), cookies.contains_key(&acteur)) {
            cookies.insert(acteur, login(&app, email).await);
        }
    }
    let mut ids = Vec::new();
    for (cle, juge, corps) in [
        ("{m_lille}", Acteur::JugeLille, r#"{"gestionnaire_id": 1, "numero_rg": "M/LILLE"}"#),
        ("{m_atmp}", Acteur::JugeLille, r#"{"gestionnaire_id": 3, "antenne_id": 1, "numero_rg": "M/ATMP"}"#),
        ("{m_arras}", Acteur::JugeArras, r#"{"gestionnaire_id": 2, "numero_rg": "M/ARRAS"}"#),
    ] {
        let mut demande: serde_json::Value = serde_json::from_str(corps).expect("json");
        demande["civilite"] = "madame".into();
        demande["annee_naissance"] = 1948.into();
        demande["nature"] = "curatelle_renforcee".into();
        demande["urgent"] = false.into();
        let (status, body) = send_json(&app, Some(&cookies[&juge]), "POST", "/api/v1/mesures", demande).await;
        assert_eq!(status, 201, "réservation {cle} : {body}");
        ids.push((cle, body["id"].to_string()));
    }
    let now = chrono::Utc::now().to_rfc3339();
    db.execute_unprepared(&format!(
        "INSERT INTO notes (gestionnaire_id, tribunal_id, auteur_user_id, contenu, created_at, updated_at)
         SELECT 1, 1, id, 'Note du juge de Lille', '{now}', '{now}' FROM users WHERE email = 'juge.lille@exemple.fr'"
    ))
    .await
    .expect("note");
    ids.push(("{note}", scalar(db, "SELECT MAX(id) FROM notes").await));
    ids.push(("{u_arras}", scalar(db, "SELECT id FROM users WHERE email = 'juge.arras@exemple.fr'").await));
    ids.push(("{u_ddets}", direction.to_string()));
    ids.push(("{u_atmp_membre}", scalar(db, "SELECT id FROM users WHERE email = 'atmp.membre@exemple.fr'").await));
    // A greffier's sign-up waiting for the administrators.
    let inscrit = insert_user(db, "inscrit@exemple.fr", "greffier", false).await;
    db.execute_unprepared(&format!(
        "INSERT INTO greffiers (user_id, tribunal_id) VALUES ({inscrit}, 1);
         INSERT INTO inscriptions (user_id, created_at) VALUES ({inscrit}, '{now}');"
    ))
    .await
    .expect("inscription");
    ids.push(("{u_inscrit}", inscrit.to_string()));
    // A visitor's avis (who asked to be answered) and an évolution of the team's list.
    db.execute_unprepared(&format!(
        "INSERT INTO evolutions (titre, description, statut, created_at) VALUES ('Carte plus lisible', '', 'a_l_etude', '{now}');
         INSERT INTO avis (created_at, niveau, objectif, commentaire, recontacter, courriel, statut, etiquettes)
         VALUES ('{now}', 'moyen', '', 'La carte est lente', true, 'visiteur@exemple.fr', 'nouveau', '');"
    ))
    .await
    .expect("avis");
    ids.push(("{avis}", scalar(db, "SELECT MAX(id) FROM avis").await));
    ids.push(("{evolution}", scalar(db, "SELECT MAX(id) FROM evolutions").await));
    ids.push(("{raison}", "jamais_connecte".to_string()));
    // An invitation link nobody was given (whoever holds one is let in).
    ids.push(("{jeton}", "0123abcd".to_string()));
    // An invitation mailed 10 days ago and left unused (the team may re-send it).
    let sent = (chrono::Utc::now() - chrono::Duration::days(10)).to_rfc3339();
    let expires = (chrono::Utc::now() + chrono::Duration::days(20)).to_rfc3339();
    db.execute_unprepared(&format!(
        "INSERT INTO invitations (email, role, prenom, nom, departement_code, importee_at, envoyee_at, expire_at) \
         VALUES ('acces.invite@exemple.fr', 'magistrat', 'Ines', 'Invitée', '59', '{sent}', '{sent}', '{expires}')"
    ))
    .await
    .expect("invitation");
    ids.push(("{invitation}", scalar(db, "SELECT MAX(id) FROM invitations").await));
    Monde { app, cookies, ids }
}

async fn scalar(db: &DatabaseConnection, sql: &str) -> String {
    let row = db.query_one_raw(Statement::from_string(db.get_database_backend(), sql.to_string())).await.expect("requête").expect("ligne");
    // Integers come back as i32 or i64 depending on the backend and the column.
    row.try_get_by_index::<i64>(0)
        .map(|v| v.to_string())
        .or_else(|_| row.try_get_by_index::<i32>(0).map(|v| v.to_string()))
        .or_else(|_| row.try_get_by_index::<String>(0))
        .expect("valeur")
}

/// What a refused request must never change.
async fn fingerprint(db: &DatabaseConnection) -> String {
    let mut parts = Vec::new();
    for sql in [
        "SELECT COUNT(*) || ':' || COALESCE(SUM(id), 0) FROM mesures",
        "SELECT COUNT(*) FROM mesures WHERE statut = 'en_attente'",
        "SELECT COUNT(*) || ':' || COALESCE(SUM(LENGTH(contenu)), 0) FROM notes",
        "SELECT SUM(en_cours) || ':' || SUM(en_attente) || ':' || SUM(mesures_max) FROM gestionnaires",
        "SELECT SUM(en_cours) || ':' || SUM(en_attente) || ':' || SUM(COALESCE(mesures_max, 0)) FROM antennes",
        // Avis given by anyone are public writes; the team's follow-up is not.
        "SELECT COUNT(*) FROM avis WHERE statut <> 'nouveau' OR etiquettes <> '' OR evolution_id IS NOT NULL",
        "SELECT COUNT(*) FROM avis_reponses",
        "SELECT COUNT(*) FROM deploiements",
        "SELECT COUNT(*) FROM relances",
        "SELECT COUNT(*) FROM gabarits_relance",
        "SELECT COUNT(*) || ':' || COALESCE(SUM(LENGTH(statut || titre)), 0) FROM evolutions",
        "SELECT COUNT(*) FROM sessions",
    ] {
        parts.push(scalar(db, sql).await);
    }
    parts.join(" ")
}

#[tokio::test]
async fn every_actor_is_refused_what_the_matrix_refuses_and_gets_what_it_allows_to_read() {
    for t in common::databases().await {
        let b = t.backend;
        let monde = build_world(&t.db, &Acteur::TOUS).await;
        let before = fingerprint(&t.db).await;
        let mut failures = Vec::new();
        let mut checked = 0;
        // Sign-outs last: they close the sessions the other rows use.
        let (sorties, autres): (Vec<&Ligne>, Vec<&Ligne>) =
            matrix::MATRICE.iter().partition(|l| l.chemin.ends_with("deconnexion") || l.chemin.ends_with("logout"));
        for ligne in autres.into_iter().chain(sorties) {
            for acteur in Acteur::TOUS {
                let allowed = ligne.permis.contains(&acteur);
                if allowed && ligne.ecrit() && !ligne.public() {
                    continue; // checked on a fresh world below
                }
                let (status, location) = monde.call(ligne, acteur).await;
                checked += 1;
                let ok = if ligne.public() {
                    status < 500 && status != 401 && status != 403
                } else if allowed {
                    status < 500 && !refused(acteur, status, &location)
                } else {
                    refused(acteur, status, &location)
                };
                if !ok {
                    let attendu = if allowed { "permis" } else { "refusé" };
                    failures.push(format!("{} {} {acteur:?} : attendu {attendu}, reçu {status} {location}", ligne.methode, ligne.chemin));
                }
            }
        }
        assert!(failures.is_empty(), "{b} : {} écart(s) :\n{}", failures.len(), failures.join("\n"));
        // Sessions were closed by the sign-out rows; everything else is untouched.
        let after = fingerprint(&t.db).await;
        let strip = |f: &str| f.rsplit_once(' ').map(|(head, _)| head.to_string()).unwrap_or_default();
        assert_eq!(strip(&before), strip(&after), "{b} : un appel refusé a modifié des données");
        println!("{b} : {checked} appels vérifiés");
        t.cleanup().await;
    }
}

#[tokio::test]
async fn every_allowed_write_goes_through_on_a_fresh_world() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for ligne in matrix::MATRICE.iter().filter(|l| l.ecrit() && !l.public()) {
        for &acteur in ligne.permis {
            let t = common::sqlite().await;
            let monde = build_world(&t.db, &[acteur]).await;
            let (status, location) = monde.call(ligne, acteur).await;
            checked += 1;
            if status >= 500 || refused(acteur, status, &location) {
                failures.push(format!("{} {} {acteur:?} : attendu permis, reçu {status} {location}", ligne.methode, ligne.chemin));
            }
            t.cleanup().await;
        }
    }
    assert!(failures.is_empty(), "{} écart(s) :\n{}", failures.len(), failures.join("\n"));
    println!("{checked} écritures permises vérifiées");
}

/// `/a/{id}/b`, `/a/:id/b`, `/a/12/b?x=1` → `/a/{}/b`.
fn shape(path: &str) -> String {
    let path = path.split('?').next().unwrap_or_default();
    path.split('/')
        .map(|segment| {
            let variable = segment.starts_with('{') || segment.starts_with(':') || segment.chars().all(|c| c.is_ascii_digit());
            if variable && !segment.is_empty() {
                "{}"
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Every `.route("path", get(…).post(…))` written in the application's code.
fn routes_in_code() -> BTreeSet<(String, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut stack = vec![root.join("app/src"), root.join("server/src")];
    let mut routes = BTreeSet::new();
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("répertoire").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("source");
            for (at, _) in text.match_indices(".route(\"") {
                let rest = &text[at + ".route(\"".len()..];
                let rest = rest.lines().next().unwrap_or_default();
                let Some((route, handlers)) = rest.split_once('"') else { continue };
                if route.starts_with("/api/fn/") {
                    continue; // the server functions, listed by their registry below
                }
                for method in ["get", "post", "put", "delete", "patch"] {
                    if handlers.contains(&format!("{method}(")) {
                        routes.insert((method.to_uppercase(), shape(route)));
                    }
                }
            }
        }
    }
    routes
}

#[tokio::test]
async fn every_route_of_the_product_has_its_row_and_every_row_a_route() {
    let mut code = routes_in_code();
    for (path, method) in leptos::server_fn::axum::server_fn_paths() {
        code.insert((method.as_str().to_string(), shape(path)));
    }
    for route in server::http::page_routes() {
        code.insert(("GET".to_string(), shape(route.path())));
    }
    // Served by the API documentation's own router (server/src/http.rs).
    code.insert(("GET".to_string(), "/api/openapi.json".to_string()));
    let rows: BTreeSet<(String, String)> = matrix::MATRICE.iter().map(|l| (l.methode.to_string(), shape(l.chemin))).collect();
    let missing: Vec<_> = code.difference(&rows).collect();
    let stale: Vec<_> = rows.difference(&code).collect();
    assert!(missing.is_empty(), "routes sans ligne dans access/matrix.rs : {missing:?}");
    assert!(stale.is_empty(), "lignes sans route dans le code : {stale:?}");
    assert!(code.len() >= 50, "{} routes seulement : la lecture du code a-t-elle échoué ?", code.len());
}
