//! The DSFR page shell: skip links, header with the role's navigation, footer.
//!
//! DSFR's own JavaScript is not used. On a phone the navigation opens with the
//! "Menu" button (a Leptos signal once hydrated; without JavaScript the button is
//! a link to `#navigation` and CSS `:target` shows the menu).

pub mod cadre;
pub mod focus;
pub mod form;
pub mod kit;
pub mod saisie;

use crate::accounts::user::CurrentUser;
use crate::rules::roles::Role;
use leptos::prelude::*;
use leptos_router::components::A;

/// The navigation links of a role: (path, label); every role ends with its account.
pub fn navigation(role: Role) -> Vec<(&'static str, &'static str)> {
    let mut links = role_links(role);
    links.push(("/compte", "Mon compte"));
    links
}

fn role_links(role: Role) -> Vec<(&'static str, &'static str)> {
    match role {
        Role::Magistrat | Role::Greffier => {
            vec![
                ("/tribunal", "Accueil du tribunal"),
                ("/tribunal/recherche", "Trouver un mandataire"),
                ("/tribunal/mesures", "Mesures du tribunal"),
                ("/tribunal/repartition", "Répartition"),
            ]
        }
        Role::Individuel | Role::Prepose => vec![
            ("/mandataire", "Mon activité"),
            ("/mandataire/mesures", "Mes mesures"),
            ("/mandataire/capacite", "Ma capacité"),
            ("/mandataire/profil", "Mon profil"),
        ],
        Role::Service => vec![
            ("/mandataire", "Mon activité"),
            ("/mandataire/mesures", "Mes mesures"),
            ("/mandataire/capacite", "Capacité"),
            ("/mandataire/antennes", "Antennes"),
            ("/mandataire/membres", "Membres"),
            ("/mandataire/profil", "Profil du service"),
        ],
        Role::Direction => vec![
            ("/direction", "Mon territoire"),
            ("/liste-blanche", "Liste blanche"),
            ("/direction/statistiques", "Statistiques"),
            ("/direction/repartition", "Répartition"),
            ("/direction/journal", "Journal"),
        ],
        Role::Admin => vec![
            ("/admin", "Administration"),
            ("/admin/inscriptions", "Inscriptions"),
            ("/admin/comptes", "Comptes"),
            ("/liste-blanche", "Liste blanche"),
            ("/admin/journal", "Journal d'audit"),
        ],
    }
}

#[component]
pub fn SkipLinks() -> impl IntoView {
    view! {
        <div class="fr-skiplinks">
            <nav class="fr-container" role="navigation" aria-label="Accès rapide">
                <ul class="fr-skiplinks__list">
                    <li><a class="fr-link" href="#contenu" on:click=|ev| focus::follow_skip_link(ev, "contenu")>"Aller au contenu"</a></li>
                    <li><a class="fr-link" href="#navigation" on:click=|ev| focus::follow_skip_link(ev, "navigation")>"Aller au menu"</a></li>
                    <li><a class="fr-link" href="#pied-de-page" on:click=|ev| focus::follow_skip_link(ev, "pied-de-page")>"Aller au pied de page"</a></li>
                </ul>
            </nav>
        </div>
    }
}

#[component]
fn SignOutButton(#[prop(optional)] id_suffix: &'static str) -> impl IntoView {
    view! {
        <form method="post" action="/deconnexion" class="emjpm-deconnexion" id=format!("deconnexion{id_suffix}")>
            <button class="fr-btn fr-icon-logout-box-r-line fr-btn--icon-left" type="submit">"Se déconnecter"</button>
        </form>
    }
}

#[component]
pub fn Header(user: Option<CurrentUser>) -> impl IntoView {
    let menu_open = RwSignal::new(false);
    let home = user.as_ref().map(|u| u.role.home_path()).unwrap_or("/connexion");
    let links = user.as_ref().map(|u| navigation(u.role)).unwrap_or_default();
    let signed_in = user.is_some();
    let who = user.as_ref().map(|u| format!("{} {} ({})", u.prenom, u.nom, u.role.label()));
    let toggle = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        menu_open.update(|open| *open = !*open);
    };
    let incarnation = user.as_ref().and_then(|u| {
        u.incarne_par.clone().map(|admin| {
            format!(
                "{admin}, vous êtes connecté en tant que {} {} ({}) jusqu'à {}. Tout ce que vous faites est journalisé à votre nom.",
                u.prenom,
                u.nom,
                u.role.label(),
                u.incarnation_fin.clone().unwrap_or_default()
            )
        })
    });
    view! {
        {incarnation.map(|message| view! {
            <div class="fr-notice fr-notice--info emjpm-incarnation" role="region" aria-label="Connexion en tant que">
                <div class="fr-container">
                    <div class="fr-notice__body">
                        <p class="fr-notice__title">{message}</p>
                        <form method="post" action="/incarnation/fin" class="fr-mt-1w">
                            <button class="fr-btn fr-btn--sm" type="submit">"Revenir à mon compte d'administrateur"</button>
                        </form>
                    </div>
                </div>
            </div>
        })}
        <header role="banner" class="fr-header">
            <div class="fr-header__body">
                <div class="fr-container">
                    <div class="fr-header__body-row">
                        <div class="fr-header__brand fr-enlarge-link">
                            <div class="fr-header__brand-top">
                                <div class="fr-header__logo">
                                    <p class="fr-logo">"République" <br/> "Française"</p>
                                </div>
                                {signed_in.then(|| view! {
                                    <div class="fr-header__navbar">
                                        <a href="#navigation" role="button" class="fr-btn--menu fr-btn"
                                            aria-controls="navigation"
                                            aria-expanded=move || menu_open.get().to_string()
                                            on:click=toggle>"Menu"</a>
                                    </div>
                                })}
                            </div>
                            <div class="fr-header__service">
                                <a href=home title="Accueil - e-MJPM" rel="external">
                                    <p class="fr-header__service-title">"e-MJPM"</p>
                                </a>
                                <p class="fr-header__service-tagline">
                                    "La protection des majeurs : trouver le bon mandataire, maintenant"
                                </p>
                            </div>
                        </div>
                        {signed_in.then(|| view! {
                            <div class="fr-header__tools">
                                <div class="fr-header__tools-links">
                                    <p class="fr-text--sm fr-mb-1w emjpm-qui">{who.clone()}</p>
                                    <SignOutButton/>
                                </div>
                            </div>
                        })}
                    </div>
                </div>
            </div>
            {signed_in.then(|| view! {
                // A page chosen in the menu folds it (on a phone it would cover the page).
                <div class="fr-header__menu emjpm-menu" id="navigation"
                    class:emjpm-menu--ouvert=move || menu_open.get() on:click=move |_| menu_open.set(false)>
                    <div class="fr-container">
                        <nav class="fr-nav" role="navigation" aria-label="Menu principal">
                            <ul class="fr-nav__list">
                                {links.into_iter().map(|(path, label)| view! {
                                    <li class="fr-nav__item"><A href=path exact=true attr:class="fr-nav__link">{label}</A></li>
                                }).collect_view()}
                            </ul>
                        </nav>
                        <div class="emjpm-menu__outils">
                            <SignOutButton id_suffix="-menu"/>
                        </div>
                    </div>
                </div>
            })}
        </header>
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    // "Donner mon avis" names the page it was followed from (its path; the
    // server keeps it with ids hidden, `feedback::page_of`).
    let location = leptos_router::hooks::use_location();
    let avis = move || {
        let path = location.pathname.get();
        if path == "/avis" {
            "/avis".to_string()
        } else {
            format!("/avis?depuis={}", crate::layout::kit::urlencode(&path))
        }
    };
    view! {
        <footer class="fr-footer" role="contentinfo" id="pied-de-page">
            <div class="fr-container">
                <div class="fr-footer__body">
                    <div class="fr-footer__brand fr-enlarge-link">
                        <a href="/" rel="external" title="Retour à l'accueil - e-MJPM">
                            <p class="fr-logo">"République" <br/> "Française"</p>
                        </a>
                    </div>
                    <div class="fr-footer__content">
                        <p class="fr-footer__content-desc">
                            "e-MJPM aide les juges des contentieux de la protection à confier chaque mesure "
                            "au mandataire judiciaire à la protection des majeurs disponible le plus adapté."
                        </p>
                    </div>
                </div>
                <div class="fr-footer__bottom">
                    <ul class="fr-footer__bottom-list">
                        <li class="fr-footer__bottom-item">
                            <a class="fr-footer__bottom-link" href=avis>"Donner mon avis"</a>
                        </li>
                        <li class="fr-footer__bottom-item">
                            <a class="fr-footer__bottom-link" href="/statistiques">"Statistiques"</a>
                        </li>
                        <li class="fr-footer__bottom-item">
                            <a class="fr-footer__bottom-link" href="/plan-du-site">"Plan du site"</a>
                        </li>
                        <li class="fr-footer__bottom-item">
                            <a class="fr-footer__bottom-link" href="/accessibilite">
                                {format!("Accessibilité : {}", crate::informations::STATUT_RGAA)}</a>
                        </li>
                        <li class="fr-footer__bottom-item">
                            <a class="fr-footer__bottom-link" href="/mentions-legales">"Mentions légales"</a>
                        </li>
                        <li class="fr-footer__bottom-item">
                            <a class="fr-footer__bottom-link" href="/donnees-personnelles">"Données personnelles"</a>
                        </li>
                    </ul>
                    <div class="fr-footer__bottom-copy">
                        <p>"Sauf mention contraire, les contenus de ce site sont sous licence etalab-2.0."</p>
                    </div>
                </div>
            </div>
        </footer>
    }
}
