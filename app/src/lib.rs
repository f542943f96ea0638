#![recursion_limit = "256"]
//! e-MJPM: the shared Leptos crate (pages, components, server functions).
//!
//! Organised by domain: `accounts` (sign-in, sessions, who is calling), `home`
//! (each role's landing page), `measures`, `territories` (approvals by
//! département), `layout` (the DSFR shell), `rules` (pure business rules shared by
//! server and browser), `db` (SeaORM entities, server only).

pub mod accounts;
pub mod assets;
#[cfg(feature = "ssr")]
pub mod api_doc;
#[cfg(feature = "ssr")]
pub mod audit;
#[cfg(feature = "ssr")]
pub mod db;
pub mod errors;
pub mod home;
pub mod journal;
pub mod layout;
pub mod measures;
#[cfg(feature = "ssr")]
pub mod notifications;
pub mod professionals;
pub mod realtime;
pub mod retention;
pub mod rules;
pub mod search;
#[cfg(feature = "ssr")]
pub mod security;
#[cfg(feature = "ssr")]
pub mod state;
pub mod territories;

use accounts::page::ConnexionPage;
use home::{admin::AdminHome, direction::DirectionHome, mandataire::MandataireHome, tribunal::TribunalHome};
use layout::{Footer, Header, SkipLinks};
use professionals::fiche::FichePage;
use search::page::SearchPage;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

/// The HTML document around the application, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let url = |path: &str| assets::static_url(&options, path);
    // The DSFR's icon utility sheet (every icon, ~18 KB compressed) is not
    // loaded: the few icons the product uses are declared in style/main.css.
    let (dsfr, css) = (url("dsfr/dsfr.min.css"), url("pkg/emjpm.css"));
    view! {
        <!DOCTYPE html>
        <html lang="fr" data-fr-scheme="light">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="format-detection" content="telephone=no"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <link rel="stylesheet" href=dsfr/>
                <link rel="stylesheet" href=css/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    realtime::provide_changements();
    let user = Resource::new(|| (), |_| accounts::user::load_current_user());
    // Live updates of the pages' data (server-sent events), for signed-in users.
    Effect::new(move |_| {
        if let Some(Ok(current)) = user.get() {
            realtime::listen_when_signed_in(current.is_some());
        }
    });
    // Browser tests wait for this mark before interacting with a hydrated page.
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
    // Every page waits for its data before sending HTML, so that it is complete
    // without JavaScript.
    let ssr = SsrMode::Async;
    view! {
        <Title text="e-MJPM"/>
        <Router>
            <SkipLinks/>
            <Suspense fallback=|| view! { <Header user=None/> }>
                {move || Suspend::new(async move {
                    let current = user.await.ok().flatten();
                    view! { <Header user=current/> }
                })}
            </Suspense>
            <main id="contenu" role="main" tabindex="-1">
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/connexion") view=ConnexionPage ssr=ssr.clone()/>
                    <Route path=path!("/connexion/code") view=accounts::second_facteur_pages::ConnexionCodePage ssr=ssr.clone()/>
                    <Route path=path!("/tribunal") view=TribunalHome ssr=ssr.clone()/>
                    <Route path=path!("/tribunal/recherche") view=SearchPage ssr=ssr.clone()/>
                    <Route path=path!("/tribunal/mandataires/:id") view=FichePage ssr=ssr.clone()/>
                    <Route path=path!("/tribunal/mandataires/:id/reserver") view=measures::reservation_form::ReservationPage ssr=ssr.clone()/>
                    <Route path=path!("/tribunal/mesures") view=measures::pages::TribunalMesuresPage ssr=ssr.clone()/>
                    <Route path=path!("/tribunal/mesures/:id") view=measures::pages::TribunalMesurePage ssr=ssr.clone()/>
                    <Route path=path!("/tribunal/mesures/:id/modifier") view=measures::reservation_form::ModificationPage ssr=ssr.clone()/>
                    <Route path=path!("/mandataire") view=MandataireHome ssr=ssr.clone()/>
                    <Route path=path!("/mandataire/mesures") view=measures::pages::MandataireMesuresPage ssr=ssr.clone()/>
                    <Route path=path!("/mandataire/mesures/nouvelle") view=measures::creation_form::NouvelleMesurePage ssr=ssr.clone()/>
                    <Route path=path!("/mandataire/mesures/:id") view=measures::pages::MandataireMesurePage ssr=ssr.clone()/>
                    <Route path=path!("/mandataire/capacite") view=professionals::capacite_page::CapacitePage ssr=ssr.clone()/>
                    <Route path=path!("/mandataire/profil") view=professionals::profil_page::ProfilPage ssr=ssr.clone()/>
                    <Route path=path!("/mandataire/antennes") view=professionals::antennes_page::AntennesPage ssr=ssr.clone()/>
                    <Route path=path!("/mandataire/membres") view=professionals::membres_page::MembresPage ssr=ssr.clone()/>
                    <Route path=path!("/mandataire/antennes/nouvelle") view=professionals::antennes_page::AntennePage ssr=ssr.clone()/>
                    <Route path=path!("/mandataire/antennes/:id") view=professionals::antennes_page::AntennePage ssr=ssr.clone()/>
                    <Route path=path!("/liste-blanche") view=territories::liste_blanche_page::ListeBlanchePage ssr=ssr.clone()/>
                    <Route path=path!("/liste-blanche/nouvelle") view=territories::liste_blanche_page::EntreePage ssr=ssr.clone()/>
                    <Route path=path!("/liste-blanche/:id") view=territories::liste_blanche_page::EntreePage ssr=ssr.clone()/>
                    <Route path=path!("/direction") view=DirectionHome ssr=ssr.clone()/>
                    <Route path=path!("/direction/journal") view=journal::JournalPage ssr=ssr.clone()/>
                    <Route path=path!("/admin") view=AdminHome ssr=ssr.clone()/>
                    <Route path=path!("/admin/comptes") view=accounts::admin_comptes::ComptesPage ssr=ssr.clone()/>
                    <Route path=path!("/admin/inscriptions") view=accounts::inscription_pages::InscriptionsPage ssr=ssr.clone()/>
                    <Route path=path!("/inscription") view=accounts::inscription_pages::InscriptionPage ssr=ssr.clone()/>
                    <Route path=path!("/admin/journal") view=journal::JournalPage ssr=ssr.clone()/>
                    <Route path=path!("/compte") view=accounts::compte::ComptePage ssr=ssr.clone()/>
                    <Route path=path!("/compte/double-authentification") view=accounts::second_facteur_pages::DoubleAuthentificationPage ssr=ssr.clone()/>
                    <Route path=path!("/mot-de-passe-oublie") view=accounts::reset_pages::MotDePasseOubliePage ssr=ssr.clone()/>
                    <Route path=path!("/donnees-personnelles") view=retention::page::DonneesPersonnellesPage ssr=ssr.clone()/>
                    <Route path=path!("/mot-de-passe/nouveau") view=accounts::reset_pages::NouveauMotDePassePage ssr=ssr.clone()/>
                </Routes>
            </main>
            <Footer/>
        </Router>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Page introuvable - e-MJPM"/>
        <div class="fr-container fr-py-6w">
            <h1>"Page introuvable"</h1>
            <p>"La page demandée n'existe pas ou a été déplacée."</p>
            <a class="fr-link" href="/" rel="external">"Revenir à l'accueil"</a>
        </div>
    }
}
