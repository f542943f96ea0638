//! The access matrix: who may call what. One row per route of the product (pages,
//! plain forms, server functions, JSON API); `permis` lists the actors allowed,
//! every other actor must be refused. The runner (`access/mod.rs`) fails when a
//! route of the code is missing here, so a new endpoint cannot be forgotten.
//!
//! Actors (fixture `common::nord` + a direction): the Lille judge and greffier
//! (tribunal 1, Nord), the Arras judge (tribunal 2, Pas-de-Calais), Martin
//! (individuel, gestionnaire 1, Nord), Petit (individuel, gestionnaire 2,
//! Pas-de-Calais), ATMP Nord's admin and plain member (service, gestionnaire 3,
//! antenne 1 Dunkerque), the Nord's DDETS, an administrator, and anonymous.
//! Objects: `{m_lille}` reserved by the Lille judge with Martin, `{m_atmp}` by
//! the Lille judge with ATMP Nord (antenne 1), `{m_arras}` by the Arras judge
//! with Petit, `{note}` a Lille judge's note on Martin.
//!
//! "Refused" means: 401, 403 or 404 (an object out of scope is "not found", its
//! existence never revealed), or a redirect to the sign-in page or to one's own
//! home. "Allowed" means the request passed the checks of who and what: it may
//! still be refused for its content or the measure's state (409, 422, a form
//! sent back with its message), which is not an access question.

use super::{Acteur, Acteur::*, Corps::*, Ligne};

const JUGES: &[Acteur] = &[JugeLille, GreffeLille, JugeArras];
const PROS: &[Acteur] = &[Martin, Petit, AtmpAdmin, AtmpMembre];
const CONNECTES: &[Acteur] = &[JugeLille, GreffeLille, JugeArras, Martin, Petit, AtmpAdmin, AtmpMembre, Direction, Admin];
const TOUS: &[Acteur] = &[Anonyme, JugeLille, GreffeLille, JugeArras, Martin, Petit, AtmpAdmin, AtmpMembre, Direction, Admin];

const DEMANDE: &str = r#"{"gestionnaire_id": 1, "numero_rg": "ACCES/1", "civilite": "monsieur", "annee_naissance": 1950, "nature": "tutelle", "urgent": false}"#;
const ACCEPTATION: &str = r#"{"date_nomination": "2026-11-02", "lieu_vie": "domicile", "commune": "59512"}"#;
const ACCEPTATION_ATMP: &str = r#"{"date_nomination": "2026-11-02", "lieu_vie": "domicile", "commune": "59512", "antenne_id": 1}"#;
const CLOTURE: &str = r#"{"cause_sortie": "mainlevee", "date_fin": "2026-11-20"}"#;
const ETAT: &str = r#"{"date_changement": "2026-11-10", "nature": "tutelle", "lieu_vie": "domicile", "commune": "59512"}"#;
const MODIFICATION: &str =
    r#"{"numero_rg": "ACCES/3", "civilite": "madame", "annee_naissance": 1950, "nature": "tutelle", "urgent": true}"#;
const CREATION: &str = r#"{"tribunal_id": 1, "numero_rg": "ACCES/5", "civilite": "madame", "annee_naissance": 1940, "nature": "tutelle", "date_nomination": "2025-03-01", "lieu_vie": "domicile", "commune": "59512"}"#;
const CAPACITE: &str = r#"{"mesures_max": 12, "suspendu": false}"#;

pub const MATRICE: &[Ligne] = &[
    // Entry points and public documents.
    // A signed-in user opening the sign-in page is sent to its home.
    Ligne { methode: "GET", chemin: "/connexion", corps: Vide, permis: &[Anonyme] },
    Ligne { methode: "POST", chemin: "/connexion", corps: Form("email=x%40exemple.fr&password=faux"), permis: TOUS },
    Ligne { methode: "POST", chemin: "/deconnexion", corps: Vide, permis: TOUS },
    Ligne { methode: "POST", chemin: "/api/v1/auth/login", corps: Json(r#"{"email": "x@exemple.fr", "password": "faux"}"#), permis: TOUS },
    Ligne { methode: "POST", chemin: "/api/v1/auth/logout", corps: Vide, permis: TOUS },
    Ligne { methode: "GET", chemin: "/healthz", corps: Vide, permis: TOUS },
    Ligne { methode: "GET", chemin: "/readyz", corps: Vide, permis: TOUS },
    // Supervision: a token (EMJPM_METRICS_TOKEN), never a session, opens it.
    Ligne { methode: "GET", chemin: "/metrics", corps: Vide, permis: &[] },
    Ligne { methode: "GET", chemin: "/api/openapi.json", corps: Vide, permis: TOUS },
    Ligne { methode: "POST", chemin: "/api/fn/utilisateur_courant", corps: Fonction(""), permis: TOUS },
    Ligne { methode: "GET", chemin: "/donnees-personnelles", corps: Vide, permis: TOUS },
    // The service's public pages; a signed-in user opening `/` goes to its home.
    Ligne { methode: "GET", chemin: "/", corps: Vide, permis: &[Anonyme] },
    Ligne { methode: "GET", chemin: "/accessibilite", corps: Vide, permis: TOUS },
    Ligne { methode: "GET", chemin: "/mentions-legales", corps: Vide, permis: TOUS },
    Ligne { methode: "GET", chemin: "/plan-du-site", corps: Vide, permis: TOUS },
    Ligne { methode: "GET", chemin: "/robots.txt", corps: Vide, permis: TOUS },
    Ligne { methode: "POST", chemin: "/api/fn/exploitant", corps: Fonction(""), permis: TOUS },
    Ligne { methode: "GET", chemin: "/api/docs", corps: Vide, permis: TOUS },
    Ligne { methode: "POST", chemin: "/api/fn/reference_api", corps: Fonction(""), permis: TOUS },
    Ligne { methode: "POST", chemin: "/api/fn/regles_conservation", corps: Fonction(""), permis: TOUS },
    // Forgotten password: open to everyone (the token in the mail is the key).
    Ligne { methode: "GET", chemin: "/mot-de-passe-oublie", corps: Vide, permis: TOUS },
    Ligne { methode: "POST", chemin: "/mot-de-passe-oublie", corps: Form("email=personne%40exemple.fr"), permis: TOUS },
    Ligne { methode: "GET", chemin: "/mot-de-passe/nouveau?jeton=invalide", corps: Vide, permis: TOUS },
    Ligne { methode: "POST", chemin: "/mot-de-passe/nouveau", corps: Form("jeton=invalide&nouveau=x&confirmation=x"), permis: TOUS },
    Ligne { methode: "POST", chemin: "/api/fn/lien_mot_de_passe", corps: Fonction("jeton=invalide"), permis: TOUS },
    // Signing up: open to everyone (a signed-in user may ask for another account).
    Ligne { methode: "GET", chemin: "/inscription", corps: Vide, permis: TOUS },
    Ligne { methode: "GET", chemin: "/inscription?role=individuel", corps: Vide, permis: TOUS },
    Ligne { methode: "POST", chemin: "/inscription", corps: Form("role=magistrat&prenom=A"), permis: TOUS },
    Ligne { methode: "POST", chemin: "/api/fn/choix_inscription", corps: Fonction("role=individuel"), permis: TOUS },
    // Each role's home.
    Ligne { methode: "GET", chemin: "/tribunal", corps: Vide, permis: &[JugeLille, GreffeLille, JugeArras] },
    Ligne { methode: "POST", chemin: "/api/fn/accueil_tribunal", corps: Fonction(""), permis: JUGES },
    Ligne { methode: "GET", chemin: "/mandataire", corps: Vide, permis: PROS },
    Ligne { methode: "POST", chemin: "/api/fn/accueil_mandataire", corps: Fonction(""), permis: PROS },
    Ligne { methode: "GET", chemin: "/direction", corps: Vide, permis: &[Direction] },
    Ligne { methode: "POST", chemin: "/api/fn/accueil_direction", corps: Fonction(""), permis: &[Direction] },
    Ligne { methode: "GET", chemin: "/admin", corps: Vide, permis: &[Admin] },
    Ligne { methode: "POST", chemin: "/api/fn/accueil_admin", corps: Fonction(""), permis: &[Admin] },
    Ligne { methode: "POST", chemin: "/api/fn/taches_admin", corps: Fonction(""), permis: &[Admin] },
    // The rollout console: the product team only.
    Ligne { methode: "GET", chemin: "/admin/deploiement", corps: Vide, permis: &[Admin] },
    Ligne { methode: "POST", chemin: "/api/fn/deploiement", corps: Fonction(""), permis: &[Admin] },
    Ligne { methode: "GET", chemin: "/admin/deploiement/59", corps: Vide, permis: &[Admin] },
    Ligne { methode: "POST", chemin: "/api/fn/deploiement_departement", corps: Fonction("code=59"), permis: &[Admin] },
    Ligne { methode: "POST", chemin: "/admin/deploiement/59", corps: Form("etat=pilote&vague=Hauts-de-France"), permis: &[Admin] },
    Ligne { methode: "POST", chemin: "/admin/deploiement/59/inscriptions", corps: Form(""), permis: &[Admin] },
    Ligne { methode: "GET", chemin: "/api/v1/deploiement", corps: Vide, permis: &[Admin] },
    Ligne { methode: "GET", chemin: "/admin/a-relancer", corps: Vide, permis: &[Admin] },
    Ligne { methode: "POST", chemin: "/api/fn/a_relancer", corps: Fonction(""), permis: &[Admin] },
    Ligne { methode: "GET", chemin: "/api/v1/a-relancer", corps: Vide, permis: &[Admin] },
    Ligne { methode: "POST", chemin: "/admin/a-relancer/{u_arras}/relancer", corps: Form("raison=jamais_connecte"), permis: &[Admin] },
    Ligne { methode: "POST", chemin: "/admin/a-relancer/{u_arras}/traiter", corps: Form("raison=jamais_connecte&note=Appel%C3%A9"), permis: &[Admin] },
    Ligne { methode: "POST", chemin: "/admin/a-relancer/modeles/{raison}", corps: Form("sujet=Bonjour&texte=Bonjour+%7Bprenom%7D"), permis: &[Admin] },
    Ligne { methode: "POST", chemin: "/admin/a-relancer/pourquoi/{u_arras}", corps: Form(""), permis: &[Admin] },
    // A "why" link: whoever holds it (an unknown token says so).
    Ligne { methode: "GET", chemin: "/pourquoi/{jeton}", corps: Vide, permis: TOUS },
    Ligne { methode: "POST", chemin: "/pourquoi/{jeton}", corps: Form("reponse=autre"), permis: TOUS },
    Ligne { methode: "POST", chemin: "/api/fn/pourquoi", corps: Fonction("jeton=0123abcd"), permis: TOUS },
    Ligne { methode: "GET", chemin: "/admin/invitations", corps: Vide, permis: &[Admin] },
    Ligne { methode: "POST", chemin: "/api/fn/invitations", corps: Fonction("query=departement%3D59"), permis: &[Admin] },
    Ligne { methode: "POST", chemin: "/admin/invitations/import", corps: Form("departement=59"), permis: &[Admin] },
    Ligne { methode: "POST", chemin: "/admin/invitations/envoyer", corps: Form("departement=59"), permis: &[Admin] },
    Ligne { methode: "POST", chemin: "/admin/invitations/{invitation}/renvoyer", corps: Form(""), permis: &[Admin] },
    // The invited person's link: whoever holds it (an unknown token says so).
    Ligne { methode: "GET", chemin: "/invitation/{jeton}", corps: Vide, permis: TOUS },
    Ligne { methode: "POST", chemin: "/api/fn/invitation", corps: Fonction("jeton=0123abcd"), permis: TOUS },
    Ligne { methode: "POST", chemin: "/invitation/{jeton}/ne-plus-recevoir", corps: Form(""), permis: TOUS },
    // Adoption: a direction its own territory (the Nord's DDETS asks the Nord), the team any.
    Ligne { methode: "GET", chemin: "/direction/adoption", corps: Vide, permis: &[Direction] },
    Ligne { methode: "POST", chemin: "/api/fn/adoption", corps: Fonction("query=territoire%3D59"), permis: &[Direction, Admin] },
    Ligne { methode: "GET", chemin: "/api/v1/adoption?territoire=59", corps: Vide, permis: &[Direction, Admin] },
    // Feedback: anyone gives an avis (form and API); the team reads and follows them up.
    Ligne { methode: "GET", chemin: "/avis", corps: Vide, permis: TOUS },
    Ligne { methode: "POST", chemin: "/api/fn/formulaire_avis", corps: Fonction(""), permis: TOUS },
    Ligne { methode: "POST", chemin: "/avis", corps: Form("niveau=bien&commentaire=Pratique&page=%2Ftribunal"), permis: TOUS },
    Ligne { methode: "POST", chemin: "/api/v1/avis", corps: Json(r#"{"niveau": "moyen", "commentaire": "Lent"}"#), permis: TOUS },
    Ligne { methode: "GET", chemin: "/api/v1/avis", corps: Vide, permis: &[Admin] },
    // The public impact page: anyone, signed in or not.
    Ligne { methode: "GET", chemin: "/statistiques", corps: Vide, permis: TOUS },
    Ligne { methode: "POST", chemin: "/api/fn/statistiques_publiques", corps: Fonction(""), permis: TOUS },
    Ligne { methode: "GET", chemin: "/api/v1/statistiques/publiques", corps: Vide, permis: TOUS },
    // A territory's statistics: a direction's own territory, any for the team.
    Ligne { methode: "GET", chemin: "/direction/statistiques", corps: Vide, permis: &[Direction, Admin] },
    Ligne { methode: "POST", chemin: "/api/fn/statistiques_territoire", corps: Fonction("query=debut%3D2026-01-01"), permis: &[Direction, Admin] },
    Ligne { methode: "POST", chemin: "/api/fn/choix_statistiques", corps: Fonction(""), permis: &[Direction, Admin] },
    Ligne { methode: "POST", chemin: "/api/fn/contours_statistiques", corps: Fonction(""), permis: &[Direction, Admin] },
    Ligne { methode: "GET", chemin: "/api/v1/statistiques", corps: Vide, permis: &[Direction, Admin] },
    Ligne { methode: "GET", chemin: "/api/v1/statistiques?departement=62", corps: Vide, permis: &[Admin] },
    Ligne { methode: "GET", chemin: "/api/v1/statistiques?tribunal=1&format=csv", corps: Vide, permis: &[Direction, Admin] },
    Ligne { methode: "GET", chemin: "/api/v1/statistiques?tribunal=2&format=xlsx", corps: Vide, permis: &[Admin] },
    // The fairness view: a judge's or greffier's own tribunal, a direction's
    // tribunal of its territory, any for the team.
    Ligne { methode: "GET", chemin: "/tribunal/repartition", corps: Vide, permis: JUGES },
    Ligne { methode: "GET", chemin: "/direction/repartition?tribunal=1", corps: Vide, permis: &[Direction] },
    Ligne { methode: "POST", chemin: "/api/fn/tribunaux_du_territoire", corps: Fonction(""), permis: &[Direction] },
    Ligne { methode: "POST", chemin: "/api/fn/repartition", corps: Fonction("tribunal=1"), permis: &[JugeLille, GreffeLille, Direction, Admin] },
    Ligne { methode: "GET", chemin: "/api/v1/repartition?tribunal=1", corps: Vide, permis: &[JugeLille, GreffeLille, Direction, Admin] },
    Ligne { methode: "GET", chemin: "/api/v1/repartition?tribunal=2", corps: Vide, permis: &[JugeArras, Admin] },
    Ligne { methode: "GET", chemin: "/admin/avis", corps: Vide, permis: &[Admin] },
    Ligne { methode: "POST", chemin: "/api/fn/avis_admin", corps: Fonction("query=statut%3Dnouveau"), permis: &[Admin] },
    Ligne { methode: "POST", chemin: "/admin/avis/{avis}/suivi", corps: Form("statut=a_l_etude&etiquettes=carte&evolution_id={evolution}"), permis: &[Admin] },
    Ligne { methode: "POST", chemin: "/admin/avis/{avis}/reponse", corps: Form("reponse=Merci+%21"), permis: &[Admin] },
    Ligne { methode: "GET", chemin: "/admin/evolutions", corps: Vide, permis: &[Admin] },
    Ligne { methode: "POST", chemin: "/api/fn/evolutions_admin", corps: Fonction(""), permis: &[Admin] },
    Ligne { methode: "POST", chemin: "/admin/evolutions", corps: Form("titre=Export+CSV&statut=a_l_etude"), permis: &[Admin] },
    Ligne { methode: "POST", chemin: "/admin/evolutions/{evolution}", corps: Form("titre=Carte+plus+lisible&statut=fait"), permis: &[Admin] },
    // Accounts: administrators only (the target is the Arras judge).
    Ligne { methode: "GET", chemin: "/admin/comptes", corps: Vide, permis: &[Admin] },
    Ligne { methode: "POST", chemin: "/api/fn/comptes_admin", corps: Fonction("query=q%3Dpetit"), permis: &[Admin] },
    Ligne { methode: "POST", chemin: "/admin/comptes/{u_arras}/desactiver", corps: Form(""), permis: &[Admin] },
    Ligne { methode: "POST", chemin: "/admin/comptes/{u_arras}/reactiver", corps: Form(""), permis: &[Admin] },
    Ligne { methode: "POST", chemin: "/admin/comptes/{u_arras}/incarner", corps: Form("motif=Aide+demand%C3%A9e+par+t%C3%A9l%C3%A9phone"), permis: &[Admin] },
    // Without a session "en tant que" the answer is 409 (nothing to end).
    Ligne { methode: "POST", chemin: "/incarnation/fin", corps: Vide, permis: CONNECTES },
    Ligne { methode: "POST", chemin: "/admin/comptes/{u_arras}/double-authentification", corps: Form("retour=%2Fadmin%2Fcomptes"), permis: &[Admin] },
    Ligne { methode: "POST", chemin: "/admin/comptes/{u_ddets}/territoire", corps: Form("direction_type=departemental&departement_code=62&structure=DDETS+62"), permis: &[Admin] },
    Ligne { methode: "POST", chemin: "/admin/comptes/{u_arras}/rattachement", corps: Form("role=greffier&tribunal_id=2&cabinet=3"), permis: &[Admin] },
    // The audit log: administrators only.
    Ligne { methode: "GET", chemin: "/admin/journal", corps: Vide, permis: &[Admin] },
    Ligne { methode: "GET", chemin: "/admin/inscriptions", corps: Vide, permis: &[Admin] },
    // The liste blanche: directions in their territory (the Nord's DDETS: entries 1, 3, 4), admins everywhere.
    Ligne { methode: "GET", chemin: "/liste-blanche", corps: Vide, permis: &[Direction, Admin] },
    Ligne { methode: "GET", chemin: "/liste-blanche/nouvelle", corps: Vide, permis: &[Direction, Admin] },
    Ligne { methode: "GET", chemin: "/liste-blanche/1", corps: Vide, permis: &[Direction, Admin] },
    Ligne { methode: "POST", chemin: "/api/fn/liste_blanche", corps: Fonction("query=type%3Dindividuel"), permis: &[Direction, Admin] },
    Ligne { methode: "POST", chemin: "/api/fn/entree_liste_blanche", corps: Fonction("id=1"), permis: &[Direction, Admin] },
    Ligne { methode: "POST", chemin: "/api/fn/entree_liste_blanche", corps: Fonction("id=5"), permis: &[Admin] },
    Ligne { methode: "POST", chemin: "/liste-blanche", corps: Form("type=service&nom=Nouveau+service&departements=59"), permis: &[Direction, Admin] },
    Ligne { methode: "POST", chemin: "/liste-blanche/1", corps: Form("type=individuel&nom=Martin&prenom=Alice&siret=73282932000074&departements=59&financeur=59"), permis: &[Direction, Admin] },
    Ligne { methode: "POST", chemin: "/liste-blanche/5", corps: Form("type=individuel&nom=Robert&prenom=Denis&siret=73282932000074&departements=75&financeur=75"), permis: &[Admin] },
    Ligne { methode: "POST", chemin: "/api/fn/inscriptions_en_attente", corps: Fonction(""), permis: &[Admin] },
    Ligne { methode: "POST", chemin: "/admin/inscriptions/{u_inscrit}/valider", corps: Form(""), permis: &[Admin] },
    Ligne { methode: "POST", chemin: "/admin/inscriptions/{u_inscrit}/refuser", corps: Form("motif=Inconnu+au+tribunal"), permis: &[Admin] },
    Ligne { methode: "POST", chemin: "/api/fn/journal_admin", corps: Fonction("query=action%3Dconnexion"), permis: &[Direction, Admin] },
    Ligne { methode: "GET", chemin: "/direction/journal", corps: Vide, permis: &[Direction] },
    // The judges' search and a professional's page.
    Ligne { methode: "GET", chemin: "/tribunal/recherche", corps: Vide, permis: JUGES },
    Ligne { methode: "POST", chemin: "/api/fn/rechercher", corps: Fonction("query=commune%3D59350"), permis: JUGES },
    // Communes: reference data, typed by judges (search) and professionals
    // (a protected person's place of living).
    Ligne { methode: "POST", chemin: "/api/fn/suggerer_communes", corps: Fonction("q=lil"), permis: CONNECTES },
    Ligne { methode: "GET", chemin: "/api/v1/gestionnaires", corps: Vide, permis: JUGES },
    // Any judge may widen the search to the whole country, hence open any
    // professional's page (the Arras judge opens Martin's, in the Nord).
    Ligne { methode: "GET", chemin: "/api/v1/gestionnaires/1", corps: Vide, permis: JUGES },
    Ligne { methode: "GET", chemin: "/api/v1/communes?q=lil", corps: Vide, permis: CONNECTES },
    Ligne { methode: "GET", chemin: "/tribunal/mandataires/1", corps: Vide, permis: JUGES },
    Ligne { methode: "POST", chemin: "/api/fn/fiche_mandataire", corps: Fonction("id=1"), permis: JUGES },
    // Judges' notes: shared within the tribunal, never across.
    // Any judge may note any professional it can open; the note belongs to its tribunal.
    Ligne { methode: "POST", chemin: "/api/fn/ajouter_note", corps: Fonction("gestionnaire_id=1&contenu=Observation"), permis: JUGES },
    Ligne { methode: "POST", chemin: "/api/fn/modifier_note", corps: Fonction("id={note}&contenu=Modifi%C3%A9e"), permis: &[JugeLille] },
    Ligne { methode: "POST", chemin: "/api/fn/supprimer_note", corps: Fonction("id={note}"), permis: &[JugeLille] },
    // Reserving: any judge or greffier, for its own tribunal, with any professional
    // it can open. Cancelling: the judges of the measure's tribunal only.
    Ligne { methode: "GET", chemin: "/tribunal/mandataires/1/reserver", corps: Vide, permis: JUGES },
    Ligne { methode: "POST", chemin: "/tribunal/mandataires/1/reserver", corps: Form("numero_rg=ACCES%2F2&civilite=madame&annee_naissance=1945&nature=tutelle&commune=Lille+%2859000%29"), permis: JUGES },
    Ligne { methode: "POST", chemin: "/api/v1/mesures", corps: Json(DEMANDE), permis: JUGES },
    Ligne { methode: "DELETE", chemin: "/api/v1/mesures/{m_lille}", corps: Vide, permis: &[JugeLille, GreffeLille] },
    Ligne { methode: "DELETE", chemin: "/api/v1/mesures/{m_arras}", corps: Vide, permis: &[JugeArras] },
    Ligne { methode: "POST", chemin: "/tribunal/mesures/{m_lille}/annuler", corps: Form(""), permis: &[JugeLille, GreffeLille] },
    Ligne { methode: "POST", chemin: "/tribunal/mesures/{m_arras}/annuler", corps: Form(""), permis: &[JugeArras] },
    // Modifying a pending reservation: its tribunal only, as for cancelling.
    Ligne { methode: "PUT", chemin: "/api/v1/mesures/{m_lille}", corps: Json(MODIFICATION), permis: &[JugeLille, GreffeLille] },
    Ligne { methode: "PUT", chemin: "/api/v1/mesures/{m_arras}", corps: Json(MODIFICATION), permis: &[JugeArras] },
    Ligne { methode: "GET", chemin: "/tribunal/mesures/{m_lille}/modifier", corps: Vide, permis: &[JugeLille, GreffeLille] },
    Ligne { methode: "POST", chemin: "/api/fn/load_modification", corps: Fonction("id={m_lille}"), permis: &[JugeLille, GreffeLille] },
    Ligne { methode: "POST", chemin: "/api/fn/load_modification", corps: Fonction("id={m_arras}"), permis: &[JugeArras] },
    Ligne { methode: "POST", chemin: "/tribunal/mesures/{m_lille}/modifier", corps: Form("numero_rg=ACCES%2F4&civilite=madame&annee_naissance=1945&nature=tutelle&commune=Lille+%2859000%29"), permis: &[JugeLille, GreffeLille] },
    Ligne { methode: "POST", chemin: "/tribunal/mesures/{m_arras}/modifier", corps: Form("numero_rg=ACCES%2F4&civilite=madame&annee_naissance=1945&nature=tutelle&commune=Lille+%2859000%29"), permis: &[JugeArras] },
    // Lists and pages of measures: one's own only.
    Ligne { methode: "GET", chemin: "/api/v1/mesures", corps: Vide, permis: &[JugeLille, GreffeLille, JugeArras, Martin, Petit, AtmpAdmin, AtmpMembre, Admin] },
    Ligne { methode: "POST", chemin: "/api/fn/load_mesures", corps: Fonction("query="), permis: &[JugeLille, GreffeLille, JugeArras, Martin, Petit, AtmpAdmin, AtmpMembre, Admin] },
    Ligne { methode: "POST", chemin: "/api/fn/filtres_mesures", corps: Fonction(""), permis: &[JugeLille, GreffeLille, JugeArras, Martin, Petit, AtmpAdmin, AtmpMembre, Admin] },
    Ligne { methode: "GET", chemin: "/api/v1/mesures/{m_lille}", corps: Vide, permis: &[JugeLille, GreffeLille, Martin, Admin] },
    Ligne { methode: "GET", chemin: "/api/v1/mesures/{m_arras}", corps: Vide, permis: &[JugeArras, Petit, Admin] },
    Ligne { methode: "GET", chemin: "/api/v1/mesures/{m_atmp}", corps: Vide, permis: &[JugeLille, GreffeLille, AtmpAdmin, AtmpMembre, Admin] },
    Ligne { methode: "POST", chemin: "/api/fn/load_mesure", corps: Fonction("id={m_lille}"), permis: &[JugeLille, GreffeLille, Martin, Admin] },
    Ligne { methode: "POST", chemin: "/api/fn/load_mesure", corps: Fonction("id={m_arras}"), permis: &[JugeArras, Petit, Admin] },
    Ligne { methode: "GET", chemin: "/tribunal/mesures", corps: Vide, permis: JUGES },
    Ligne { methode: "GET", chemin: "/tribunal/mesures/{m_lille}", corps: Vide, permis: &[JugeLille, GreffeLille] },
    Ligne { methode: "GET", chemin: "/mandataire/mesures", corps: Vide, permis: PROS },
    Ligne { methode: "GET", chemin: "/mandataire/mesures/{m_lille}", corps: Vide, permis: &[Martin] },
    // A measure's life: its professional only (any member of a service).
    Ligne { methode: "POST", chemin: "/api/v1/mesures/{m_lille}/acceptation", corps: Json(ACCEPTATION), permis: &[Martin] },
    Ligne { methode: "POST", chemin: "/api/v1/mesures/{m_atmp}/acceptation", corps: Json(ACCEPTATION_ATMP), permis: &[AtmpAdmin, AtmpMembre] },
    Ligne { methode: "POST", chemin: "/api/v1/mesures/{m_arras}/acceptation", corps: Json(ACCEPTATION), permis: &[Petit] },
    Ligne { methode: "POST", chemin: "/api/v1/mesures/{m_lille}/refus", corps: Json(r#"{"motif": "pas_de_place"}"#), permis: &[Martin] },
    Ligne { methode: "POST", chemin: "/api/v1/mesures/{m_atmp}/refus", corps: Json(r#"{"motif": "hors_zone"}"#), permis: &[AtmpAdmin, AtmpMembre] },
    Ligne { methode: "POST", chemin: "/mandataire/mesures/{m_lille}/refuser", corps: Form("motif=autre&precision=D%C3%A9m%C3%A9nagement"), permis: &[Martin] },
    Ligne { methode: "POST", chemin: "/api/v1/mesures/{m_lille}/cloture", corps: Json(CLOTURE), permis: &[Martin] },
    Ligne { methode: "POST", chemin: "/api/v1/mesures/{m_lille}/reactivation", corps: Json("{}"), permis: &[Martin] },
    Ligne { methode: "POST", chemin: "/api/v1/mesures/{m_lille}/etats", corps: Json(ETAT), permis: &[Martin] },
    Ligne { methode: "POST", chemin: "/mandataire/mesures/{m_lille}/accepter", corps: Form("date_nomination=2026-11-02&lieu_vie=domicile&commune=59512"), permis: &[Martin] },
    Ligne { methode: "POST", chemin: "/mandataire/mesures/{m_lille}/etat", corps: Form("date_changement=2026-11-10&nature=tutelle&lieu_vie=domicile&commune=59512"), permis: &[Martin] },
    Ligne { methode: "POST", chemin: "/mandataire/mesures/{m_lille}/cloturer", corps: Form("cause_sortie=mainlevee&date_fin=2026-11-20"), permis: &[Martin] },
    Ligne { methode: "POST", chemin: "/mandataire/mesures/{m_lille}/reactiver", corps: Form(""), permis: &[Martin] },
    Ligne { methode: "POST", chemin: "/mandataire/mesures/{m_atmp}/accepter", corps: Form("date_nomination=2026-11-02&lieu_vie=domicile&commune=59512&antenne_id=1"), permis: &[AtmpAdmin, AtmpMembre] },
    // Recording a measure directly: any professional, for itself (any member of a service).
    Ligne { methode: "POST", chemin: "/api/v1/moi/mesures", corps: Json(CREATION), permis: PROS },
    Ligne { methode: "GET", chemin: "/mandataire/mesures/nouvelle", corps: Vide, permis: PROS },
    Ligne { methode: "POST", chemin: "/api/fn/load_creation", corps: Fonction(""), permis: PROS },
    Ligne { methode: "POST", chemin: "/mandataire/mesures/nouvelle", corps: Form("tribunal_id=1&numero_rg=ACCES%2F6&civilite=madame&annee_naissance=1940&nature=tutelle&date_nomination=2025-03-01&lieu_vie=domicile&commune=59512"), permis: PROS },
    // Capacity: one's own; a service's by its administrators only.
    Ligne { methode: "GET", chemin: "/api/v1/moi/capacite", corps: Vide, permis: PROS },
    Ligne { methode: "PUT", chemin: "/api/v1/moi/capacite", corps: Json(CAPACITE), permis: &[Martin, Petit, AtmpAdmin] },
    Ligne { methode: "PUT", chemin: "/api/v1/antennes/1/capacite", corps: Json(r#"{"mesures_max": 30}"#), permis: &[AtmpAdmin] },
    Ligne { methode: "GET", chemin: "/mandataire/capacite", corps: Vide, permis: PROS },
    Ligne { methode: "POST", chemin: "/api/fn/load_capacite", corps: Fonction(""), permis: PROS },
    Ligne { methode: "POST", chemin: "/mandataire/capacite", corps: Form("mesures_max=12"), permis: &[Martin, Petit, AtmpAdmin] },
    Ligne { methode: "POST", chemin: "/mandataire/capacite/confirmer", corps: Form(""), permis: &[Martin, Petit, AtmpAdmin] },
    Ligne { methode: "POST", chemin: "/api/v1/moi/capacite/confirmation", corps: Vide, permis: &[Martin, Petit, AtmpAdmin] },
    Ligne { methode: "POST", chemin: "/mandataire/antennes/1/capacite", corps: Form("mesures_max=30"), permis: &[AtmpAdmin] },
    // A service's antennes: its members read them, its admins change them.
    Ligne { methode: "GET", chemin: "/mandataire/antennes", corps: Vide, permis: &[AtmpAdmin, AtmpMembre] },
    Ligne { methode: "POST", chemin: "/api/fn/load_antennes", corps: Fonction(""), permis: &[AtmpAdmin, AtmpMembre] },
    Ligne { methode: "GET", chemin: "/mandataire/antennes/nouvelle", corps: Vide, permis: &[AtmpAdmin, AtmpMembre] },
    Ligne { methode: "GET", chemin: "/mandataire/antennes/1", corps: Vide, permis: &[AtmpAdmin, AtmpMembre] },
    Ligne { methode: "POST", chemin: "/mandataire/antennes", corps: Form("nom=Lens&adresse=2+rue&commune=62041&mesures_max=1"), permis: &[AtmpAdmin] },
    Ligne { methode: "POST", chemin: "/mandataire/antennes/1", corps: Form("nom=Dunkerque&adresse=3+quai&commune=59183&mesures_max=30"), permis: &[AtmpAdmin] },
    Ligne { methode: "POST", chemin: "/mandataire/antennes/1/supprimer", corps: Form(""), permis: &[AtmpAdmin] },
    // A service's members: its members read the list, its admins act (never on themselves).
    Ligne { methode: "GET", chemin: "/mandataire/membres", corps: Vide, permis: &[AtmpAdmin, AtmpMembre] },
    Ligne { methode: "POST", chemin: "/api/fn/load_membres", corps: Fonction(""), permis: &[AtmpAdmin, AtmpMembre] },
    Ligne { methode: "POST", chemin: "/mandataire/membres", corps: Form("prenom=Lucie&nom=Bernard&email=lucie%40exemple.fr"), permis: &[AtmpAdmin] },
    Ligne { methode: "POST", chemin: "/mandataire/membres/{u_atmp_membre}/administrateur", corps: Form("admin=oui"), permis: &[AtmpAdmin] },
    Ligne { methode: "POST", chemin: "/mandataire/membres/{u_atmp_membre}/retirer", corps: Form(""), permis: &[AtmpAdmin] },
    // Profile: one's own; a service's by its administrators only (its members read it).
    Ligne { methode: "GET", chemin: "/mandataire/profil", corps: Vide, permis: PROS },
    Ligne { methode: "POST", chemin: "/api/fn/load_profil", corps: Fonction(""), permis: PROS },
    Ligne { methode: "POST", chemin: "/mandataire/profil", corps: Form("email=contact%40exemple.fr&telephone=0320123456&adresse=1+rue+Nationale&commune=59350&natures=tutelle"), permis: &[Martin, Petit, AtmpAdmin] },
    // One's own account: any signed-in user.
    Ligne { methode: "GET", chemin: "/compte", corps: Vide, permis: CONNECTES },
    Ligne { methode: "POST", chemin: "/api/fn/mon_compte", corps: Fonction(""), permis: CONNECTES },
    Ligne { methode: "POST", chemin: "/compte/deconnexion-partout", corps: Form(""), permis: CONNECTES },
    // The e-mail preference only means something to a tribunal's judges and greffiers.
    Ligne { methode: "POST", chemin: "/compte/courriels", corps: Form("notifier_acceptation=oui"), permis: JUGES },
    Ligne { methode: "POST", chemin: "/compte/mot-de-passe", corps: Form("actuel=faux&nouveau=x&confirmation=x"), permis: CONNECTES },
    // Second factor: the code after the password (no waiting sign-in here: the
    // page says so, the form goes back to the sign-in), and one's own in "Mon compte".
    Ligne { methode: "GET", chemin: "/connexion/code", corps: Vide, permis: TOUS },
    Ligne { methode: "POST", chemin: "/connexion/code", corps: Form("code=000000"), permis: TOUS },
    Ligne { methode: "POST", chemin: "/api/fn/etape_connexion", corps: Fonction(""), permis: TOUS },
    Ligne { methode: "GET", chemin: "/compte/double-authentification", corps: Vide, permis: CONNECTES },
    Ligne { methode: "POST", chemin: "/api/fn/mon_enrolement", corps: Fonction(""), permis: CONNECTES },
    Ligne { methode: "POST", chemin: "/compte/double-authentification", corps: Form(""), permis: CONNECTES },
    Ligne { methode: "POST", chemin: "/compte/double-authentification/activer", corps: Form("code=000000"), permis: CONNECTES },
    Ligne { methode: "POST", chemin: "/compte/double-authentification/desactiver", corps: Form("code=000000"), permis: CONNECTES },
    // Live updates: any signed-in user.
    Ligne { methode: "GET", chemin: "/api/v1/evenements", corps: Vide, permis: &[JugeLille, GreffeLille, JugeArras, Martin, Petit, AtmpAdmin, AtmpMembre] },
];
