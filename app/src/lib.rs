#![recursion_limit = "256"]
//! e-MJPM: the shared Leptos crate (pages, components, server functions).
//!
//! Organised by domain: `accounts` (sign-in, sessions, who is calling), `home`
//! (each role's landing page), `measures`, `territories` (approvals by
//! département), `layout` (the DSFR shell), `rules` (pure business rules shared by
//! server and browser), `db` (SeaORM entities, server only).

pub mod accounts;
pub mod adoption;
#[cfg(feature = "ssr")]
pub mod api_doc;
pub mod api_reference;
pub mod assets;
#[cfg(feature = "ssr")]
pub mod audit;
#[cfg(feature = "ssr")]
pub mod db;
pub mod errors;
#[cfg(feature = "ssr")]
pub mod extract;
pub mod feedback;
pub mod home;
pub mod informations;
pub mod invitations;
pub mod journal;
pub mod layout;
pub mod measures;
#[cfg(feature = "ssr")]
pub mod notifications;
#[cfg(feature = "ssr")]
pub mod observability;
pub mod pages;
pub mod professionals;
pub mod realtime;
pub mod repartition;
pub mod rescue;
pub mod retention;
pub mod rollout;
pub mod rules;
pub mod search;
#[cfg(feature = "ssr")]
pub mod security;
#[cfg(feature = "ssr")]
pub mod state;
pub mod statistiques;
pub mod territories;
pub mod usage;

use layout::{Footer, Header, SkipLinks};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, Lazy, SsrMode};

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
                <link rel="icon" href="/favicon.ico" sizes="any"/>
                <link rel="stylesheet" href=dsfr/>
                <link rel="stylesheet" href=css/>
                <assets::HydrationScript options/>
                <MetaTags/>
                <layout::saisie::EmbeddedDraft/>
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
            realtime::listen_when_signed_in(current.is_some_and(|u| realtime::follows_changes(u.role)));
        }
    });
    // Every page waits for its data before sending HTML, so that it is complete
    // without JavaScript.
    let ssr = SsrMode::Async;
    view! {
        <Title text="e-MJPM"/>
        <Router>
            <SkipLinks/>
            <layout::focus::FocusOnNavigation/>
            <Suspense fallback=|| view! { <Header user=None/> }>
                {move || Suspend::new(async move {
                    let current = user.await.ok().flatten();
                    view! { <Header user=current/> }
                })}
            </Suspense>
            <main id="contenu" role="main" tabindex="-1">
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/") view={Lazy::<pages::Presentation>::new()} ssr=ssr.clone()/>
                    <Route path=path!("/accessibilite") view={Lazy::<pages::Accessibilite>::new()} ssr=ssr.clone()/>
                    <Route path=path!("/mentions-legales") view={Lazy::<pages::MentionsLegales>::new()} ssr=ssr.clone()/>
                    <Route path=path!("/plan-du-site") view={Lazy::<pages::PlanDuSite>::new()} ssr=ssr.clone()/>
                    <Route path=path!("/api/docs") view={Lazy::<pages::ReferenceApi>::new()} ssr=ssr.clone()/>
                    <Route path=path!("/connexion") view={Lazy::<pages::Connexion>::new()} ssr=ssr.clone()/>
                    <Route path=path!("/connexion/code") view={Lazy::<pages::ConnexionCode>::new()} ssr=ssr.clone()/>
                    <Route path=path!("/tribunal") view={Lazy::<pages::TribunalAccueil>::new()} ssr=ssr.clone()/>
                    <Route path=path!("/tribunal/recherche") view={Lazy::<pages::Recherche>::new()} ssr=ssr.clone()/>
                    <Route path=path!("/tribunal/mandataires/:id") view={Lazy::<pages::Fiche>::new()} ssr=ssr.clone()/>
                    <Route path=path!("/tribunal/mandataires/:id/reserver") view={Lazy::<pages::Reservation>::new()} ssr=ssr.clone()/>
                    <Route path=path!("/tribunal/mesures") view={Lazy::<pages::TribunalMesures>::new()} ssr=ssr.clone()/>
                    <Route path=path!("/tribunal/repartition") view={Lazy::<pages::Repartition>::new()} ssr=ssr.clone()/>
                    <Route path=path!("/direction/repartition") view={Lazy::<pages::RepartitionDirection>::new()} ssr=ssr.clone()/>
                    <Route path=path!("/tribunal/mesures/:id") view={Lazy::<pages::TribunalMesure>::new()} ssr=ssr.clone()/>
                    <Route path=path!("/tribunal/mesures/:id/modifier") view={Lazy::<pages::ModificationMesure>::new()} ssr=ssr.clone()/>
                    <Route path=path!("/mandataire") view={Lazy::<pages::MandataireAccueil>::new()} ssr=ssr.clone()/>
                    <Route path=path!("/mandataire/mesures") view={Lazy::<pages::MandataireMesures>::new()} ssr=ssr.clone()/>
                    <Route path=path!("/mandataire/mesures/nouvelle") view={Lazy::<pages::NouvelleMesure>::new()} ssr=ssr.clone()/>
                    <Route path=path!("/mandataire/mesures/:id") view={Lazy::<pages::MandataireMesure>::new()} ssr=ssr.clone()/>
                    <Route path=path!("/mandataire/capacite") view={Lazy::<pages::Capacite>::new()} ssr=ssr.clone()/>
                    <Route path=path!("/mandataire/profil") view={Lazy::<pages::Profil>::new()} ssr=ssr.clone()/>
                    <Route path=path!("/mandataire/antennes") view={Lazy::<pages::Antennes>::new()} ssr=ssr.clone()/>
                    <Route path=path!("/mandataire/membres") view={Lazy::<pages::Membres>::new()} ssr=ssr.clone()/>
                    <Route path=path!("/mandataire/antennes/nouvelle") view={Lazy::<pages::Antenne>::new()} ssr=ssr.clone()/>
                    <Route path=path!("/mandataire/antennes/:id") view={Lazy::<pages::Antenne>::new()} ssr=ssr.clone()/>
                    <Route path=path!("/liste-blanche") view={Lazy::<pages::ListeBlanche>::new()} ssr=ssr.clone()/>
                    <Route path=path!("/liste-blanche/nouvelle") view={Lazy::<pages::EntreeListeBlanche>::new()} ssr=ssr.clone()/>
                    <Route path=path!("/liste-blanche/:id") view={Lazy::<pages::EntreeListeBlanche>::new()} ssr=ssr.clone()/>
                    <Route path=path!("/direction") view={Lazy::<pages::DirectionAccueil>::new()} ssr=ssr.clone()/>
                    <Route path=path!("/direction/adoption") view={Lazy::<pages::Adoption>::new()} ssr=ssr.clone()/>
                    <Route path=path!("/direction/statistiques") view={Lazy::<pages::StatistiquesTerritoire>::new()} ssr=ssr.clone()/>
                    <Route path=path!("/direction/journal") view={Lazy::<pages::Journal>::new()} ssr=ssr.clone()/>
                    <Route path=path!("/admin") view={Lazy::<pages::AdminAccueil>::new()} ssr=ssr.clone()/>
                    <Route path=path!("/admin/comptes") view={Lazy::<pages::Comptes>::new()} ssr=ssr.clone()/>
                    <Route path=path!("/admin/inscriptions") view={Lazy::<pages::Inscriptions>::new()} ssr=ssr.clone()/>
                    <Route path=path!("/inscription") view={Lazy::<pages::Inscription>::new()} ssr=ssr.clone()/>
                    <Route path=path!("/admin/deploiement") view={Lazy::<pages::Deploiement>::new()} ssr=ssr.clone()/>
                    <Route path=path!("/admin/deploiement/:code") view={Lazy::<pages::DeploiementDepartement>::new()} ssr=ssr.clone()/>
                    <Route path=path!("/admin/invitations") view={Lazy::<pages::Invitations>::new()} ssr=ssr.clone()/>
                    <Route path=path!("/pourquoi/:jeton") view={Lazy::<pages::Pourquoi>::new()} ssr=ssr.clone()/>
                    <Route path=path!("/invitation/:jeton") view={Lazy::<pages::Invitation>::new()} ssr=ssr.clone()/>
                    <Route path=path!("/admin/a-relancer") view={Lazy::<pages::ARelancer>::new()} ssr=ssr.clone()/>
                    <Route path=path!("/admin/avis") view={Lazy::<pages::AdminAvis>::new()} ssr=ssr.clone()/>
                    <Route path=path!("/admin/evolutions") view={Lazy::<pages::Evolutions>::new()} ssr=ssr.clone()/>
                    <Route path=path!("/avis") view={Lazy::<pages::Avis>::new()} ssr=ssr.clone()/>
                    <Route path=path!("/statistiques") view={Lazy::<pages::Statistiques>::new()} ssr=ssr.clone()/>
                    <Route path=path!("/admin/journal") view={Lazy::<pages::Journal>::new()} ssr=ssr.clone()/>
                    <Route path=path!("/compte") view={Lazy::<pages::Compte>::new()} ssr=ssr.clone()/>
                    <Route path=path!("/compte/double-authentification") view={Lazy::<pages::DoubleAuthentification>::new()} ssr=ssr.clone()/>
                    <Route path=path!("/mot-de-passe-oublie") view={Lazy::<pages::MotDePasseOublie>::new()} ssr=ssr.clone()/>
                    <Route path=path!("/donnees-personnelles") view={Lazy::<pages::DonneesPersonnelles>::new()} ssr=ssr.clone()/>
                    <Route path=path!("/mot-de-passe/nouveau") view={Lazy::<pages::NouveauMotDePasse>::new()} ssr=ssr.clone()/>
                </Routes>
            </main>
            <Footer/>
        </Router>
    }
}

/// Marks the page as interactive once the page itself is hydrated (its group's
/// part loaded, app::pages): browser tests wait for this mark before acting.
/// Called by each page's view; an effect runs after the view it belongs to.
pub fn mark_hydrated() {
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}

#[component]
fn NotFound() -> impl IntoView {
    mark_hydrated();
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
