//! The router's pages, their code loaded by the browser only when needed.
//!
//! The browser bundle is cut (Leptos lazy loading, `cargo xtask build`) into a
//! main module — the shell every page has: header, router, sign-out, live
//! updates — and one part per group of pages below, plus the few chunks of code
//! groups share. A judge's search page thus loads neither the professionals',
//! the directions' nor the administrators' pages. The server names, in the head
//! of the page it renders, the files of the page's group (`assets::preload_group`)
//! for the hydration script to fetch them with the main module.
//!
//! Groups rather than one part per page: with a part per page, the search page
//! needed 141 files (code shared by every combination of pages is a chunk of its
//! own), and instantiating them took longer than the bytes saved (Lighthouse
//! total blocking time 610 ms instead of 70 ms, 2026-11-28). A group is the pages
//! one person goes through in one sitting.
//!
//! On the server, and without JavaScript, nothing changes: each page renders as
//! it always did.

use crate::{
    accounts, adoption, api_reference, feedback, home, informations, invitations, journal, measures, professionals, repartition, rescue,
    retention, rollout, search, statistiques, territories,
};
use leptos::lazy;
use leptos::prelude::{AnyView, IntoAny};
use leptos_router::LazyRoute;

/// `group (__preload_group) / Enum { Route => path::to::Component; … }`: one
/// lazily loaded function per group (the split point, whose code is the group's
/// part), one route type per page that calls it. `#[lazy]` names the function
/// that only loads the part `__preload_<group>` (written out: macro_rules cannot
/// build names).
macro_rules! groups_of_pages {
    ($($(#[$doc:meta])* $group:ident ($preload:ident) / $pages:ident { $($page:ident => $component:path;)* })*) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy)]
        enum $pages {
            $($page,)*
        }

        #[lazy]
        fn $group(page: $pages) -> AnyView {
            match page {
                $($pages::$page => $component().into_any(),)*
            }
        }

        $(
            #[doc = concat!("`", stringify!($component), "`, loaded with its group (`", stringify!($group), "`).")]
            pub struct $page;

            impl LazyRoute for $page {
                fn data() -> Self {
                    $page
                }

                /// The router awaits this before hydrating the page: its part
                /// must be there for the page to hydrate at once, as rendered.
                async fn preload() {
                    #[cfg(feature = "hydrate")]
                    $preload().await;
                }

                async fn view(_this: Self) -> AnyView {
                    #[cfg(feature = "ssr")]
                    crate::assets::preload_group(stringify!($group));
                    let view = $group($pages::$page).await;
                    // After the part is loaded: the mark follows the page's own hydration.
                    crate::mark_hydrated();
                    view
                }
            }
        )*
    )*};
}

groups_of_pages! {
    /// The judge's search, the product's heart, alone: the page a judge opens
    /// most, measured by `cargo xtask bench page`.
    recherche (__preload_recherche) / PagesRecherche {
        Recherche => search::page::SearchPage;
    }

    /// The rest of the judges' and greffiers' pages.
    tribunal (__preload_tribunal) / PagesTribunal {
        TribunalAccueil => home::tribunal::TribunalHome;
        Fiche => professionals::fiche::FichePage;
        Reservation => measures::reservation_form::ReservationPage;
        TribunalMesures => measures::pages::TribunalMesuresPage;
        TribunalMesure => measures::pages::TribunalMesurePage;
        ModificationMesure => measures::reservation_form::ModificationPage;
    }

    /// The professionals' pages.
    mandataire (__preload_mandataire) / PagesMandataire {
        MandataireAccueil => home::mandataire::MandataireHome;
        MandataireMesures => measures::pages::MandataireMesuresPage;
        NouvelleMesure => measures::creation_form::NouvelleMesurePage;
        MandataireMesure => measures::pages::MandataireMesurePage;
        Capacite => professionals::capacite_page::CapacitePage;
        Profil => professionals::profil_page::ProfilPage;
        Antennes => professionals::antennes_page::AntennesPage;
        Antenne => professionals::antennes_page::AntennePage;
        Membres => professionals::membres_page::MembresPage;
    }

    /// The directions' pages (liste blanche, their territory's journal).
    territoire (__preload_territoire) / PagesTerritoire {
        DirectionAccueil => home::direction::DirectionHome;
        ListeBlanche => territories::liste_blanche_page::ListeBlanchePage;
        EntreeListeBlanche => territories::liste_blanche_page::EntreePage;
        Journal => journal::JournalPage;
        Adoption => adoption::page::AdoptionPage;
        StatistiquesTerritoire => statistiques::territoire::page::StatistiquesTerritoirePage;
    }

    /// The administrators' pages.
    administration (__preload_administration) / PagesAdministration {
        AdminAccueil => home::admin::AdminHome;
        Comptes => accounts::admin_comptes::ComptesPage;
        Inscriptions => accounts::inscription_pages::InscriptionsPage;
        AdminAvis => feedback::admin_page::AdminAvisPage;
        Evolutions => feedback::admin_page::EvolutionsPage;
        Deploiement => rollout::page::DeploiementPage;
        ARelancer => rescue::page::ARelancerPage;
        DeploiementDepartement => rollout::page::DepartementPage;
        Invitations => invitations::page::InvitationsPage;
    }

    /// Signing in and up, one's account, what is kept about one.
    compte (__preload_compte) / PagesCompte {
        Connexion => accounts::page::ConnexionPage;
        ConnexionCode => accounts::second_facteur_pages::ConnexionCodePage;
        Inscription => accounts::inscription_pages::InscriptionPage;
        Invitation => invitations::page::InvitationPage;
        Pourquoi => rescue::page::PourquoiPage;
        MotDePasseOublie => accounts::reset_pages::MotDePasseOubliePage;
        NouveauMotDePasse => accounts::reset_pages::NouveauMotDePassePage;
        Compte => accounts::compte::ComptePage;
        DoubleAuthentification => accounts::second_facteur_pages::DoubleAuthentificationPage;
        DonneesPersonnelles => retention::page::DonneesPersonnellesPage;
    }

    /// The pages every State service has, open to anyone.
    informations (__preload_informations) / PagesInformations {
        Presentation => informations::PresentationPage;
        Accessibilite => informations::AccessibilitePage;
        MentionsLegales => informations::MentionsLegalesPage;
        PlanDuSite => informations::PlanDuSitePage;
        ReferenceApi => api_reference::ReferenceApiPage;
        Avis => feedback::page::AvisPage;
        Statistiques => statistiques::page::StatistiquesPage;
        Repartition => repartition::page::RepartitionPage;
        RepartitionDirection => repartition::page::RepartitionDirectionPage;
    }
}
