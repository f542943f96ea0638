//! The pages every State digital service has, open to anyone: the service's
//! presentation (`/` for a visitor who is not signed in), the accessibility
//! statement (`/accessibilite`), the legal notice (`/mentions-legales`) and the
//! site map (`/plan-du-site`); the footer links them all (DSFR footer).

use crate::errors::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

/// The conformity status said in the footer and the statement: no RGAA audit
/// has been made yet, so the service may not claim more.
pub const STATUT_RGAA: &str = "non conforme";

/// What whoever runs this instance declares (the same software runs in
/// several places): where users write (`EMJPM_CONTACT`, an address) and who
/// hosts it (`EMJPM_HEBERGEUR`: name and address).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Exploitant {
    pub contact: Option<String>,
    pub hebergeur: Option<String>,
}

#[leptos::server(prefix = "/api/fn", endpoint = "exploitant")]
pub async fn load_exploitant() -> Result<Exploitant, AppError> {
    let declared = |name: &str| std::env::var(name).ok().map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    Ok(Exploitant { contact: declared("EMJPM_CONTACT"), hebergeur: declared("EMJPM_HEBERGEUR") })
}

/// The instance's contact address as a link, or what to do without one.
#[component]
fn Contact(exploitant: Exploitant) -> impl IntoView {
    match exploitant.contact {
        Some(adresse) => view! { <a href=format!("mailto:{adresse}")>{adresse.clone()}</a> }.into_any(),
        None => {
            view! { <span>"l'équipe qui exploite cette instance (elle n'a pas encore déclaré d'adresse : EMJPM_CONTACT)"</span> }.into_any()
        }
    }
}

/// Runs `body` with what the instance declares.
#[component]
fn AvecExploitant(body: fn(Exploitant) -> AnyView) -> impl IntoView {
    let data = Resource::new(|| (), |_| load_exploitant());
    view! {
        <crate::layout::kit::Charge data vue=body/>
    }
}

#[component]
pub fn PresentationPage() -> impl IntoView {
    view! {
        <Title text="e-MJPM — trouver le mandataire disponible pour une mesure de protection"/>
        <div class="fr-container fr-py-6w">
            <h1>"e-MJPM"</h1>
            <p class="fr-text--lead">
                "Le service qui aide les juges des contentieux de la protection à confier chaque mesure de protection "
                "d'un majeur (tutelle, curatelle, sauvegarde de justice) au mandataire disponible le plus adapté, "
                "près de la personne protégée."
            </p>
            <div class="fr-grid-row fr-grid-row--gutters fr-mb-4w">
                <div class="fr-col-12 fr-col-md-4">
                    <h2 class="fr-h5">"Juges et greffiers"</h2>
                    <p>"Trouvez sur une carte et une liste les mandataires qui ont de la place près de la personne, "
                        "pour cette mesure, et réservez-la en une minute."</p>
                </div>
                <div class="fr-col-12 fr-col-md-4">
                    <h2 class="fr-h5">"Mandataires"</h2>
                    <p>"Déclarez votre capacité, recevez les réservations, acceptez-les et suivez vos mesures, "
                        "y compris depuis un téléphone."</p>
                </div>
                <div class="fr-col-12 fr-col-md-4">
                    <h2 class="fr-h5">"Services de l'État"</h2>
                    <p>"Les directions (DDETS, DREETS, DGCS) tiennent la liste des mandataires agréés de leur territoire "
                        "et en suivent l'activité."</p>
                </div>
            </div>
            <h2 class="fr-h4">"Obtenir un compte"</h2>
            <p>"Les magistrats, greffiers et mandataires agréés demandent leur compte en ligne : l'équipe e-MJPM "
                "vérifie le rattachement (tribunal, agrément) avant de l'activer."</p>
            <ul class="fr-btns-group fr-btns-group--inline-md">
                <li><a class="fr-btn" href="/connexion">"Se connecter"</a></li>
                <li><a class="fr-btn fr-btn--secondary" href="/inscription">"Demander un compte"</a></li>
            </ul>
        </div>
    }
}

#[component]
pub fn AccessibilitePage() -> impl IntoView {
    view! {
        <Title text="Déclaration d'accessibilité - e-MJPM"/>
        <div class="fr-container fr-py-6w">
            <h1>"Déclaration d'accessibilité"</h1>
            <p>"Le ministère chargé des solidarités (Direction générale de la cohésion sociale) s'engage à rendre "
                "e-MJPM accessible, conformément à l'article 47 de la loi n° 2005-102 du 11 février 2005."</p>
            <p>"Cette déclaration s'applique au site e-MJPM."</p>
            <h2 class="fr-h4">"État de conformité"</h2>
            <p>{format!("e-MJPM est {STATUT_RGAA} avec le référentiel général d'amélioration de l'accessibilité (RGAA) : ")}
                "aucun audit de conformité n'a encore été réalisé."</p>
            <h2 class="fr-h4">"Ce qui a été vérifié"</h2>
            <ul>
                <li>"Chaque page principale est vérifiée automatiquement (axe-core) à chaque version, avec et sans JavaScript, "
                    "sur ordinateur et à 360 pixels de large : aucune erreur grave ou critique."</li>
                <li>"La page de recherche des juges obtient 100 / 100 à l'audit d'accessibilité de Lighthouse (mobile)."</li>
                <li>"Toutes les fonctions marchent sans JavaScript ; la carte double la liste des résultats, qui suffit."</li>
            </ul>
            <h2 class="fr-h4">"Contenus non accessibles connus"</h2>
            <ul>
                <li>"La carte des résultats n'est pas utilisable au clavier : la liste à côté donne les mêmes informations."</li>
                <li>"L'explorateur interactif de l'API (/api/explorateur, Swagger UI), destiné aux éditeurs de logiciels, ne passe pas les contrôles automatiques (champs sans étiquette, contrastes) : la documentation de l'API (/api/docs) en donne tout le contenu dans une page accessible."</li>
            </ul>
            <h2 class="fr-h4">"Établissement de cette déclaration"</h2>
            <p>"Déclaration établie le 5 décembre 2026. Technologies utilisées : HTML, CSS, WebAssembly et JavaScript, "
                "système de design de l'État (DSFR). Environnement de vérification : Chromium, ordinateur et téléphone."</p>
            <h2 class="fr-h4">"Retour d'information et contact"</h2>
            <AvecExploitant body=|e| view! {
                <p>"Si vous n'arrivez pas à accéder à un contenu ou à un service, écrivez à " <Contact exploitant=e/>
                    " : l'équipe vous répond et vous aide à l'obtenir sous une autre forme."</p>
            }.into_any()/>
            <h2 class="fr-h4">"Voies de recours"</h2>
            <p>"Si vous avez signalé un défaut d'accessibilité qui vous empêche d'accéder à un contenu ou à un service "
                "et que vous n'avez pas obtenu de réponse satisfaisante, vous pouvez saisir le Défenseur des droits :"</p>
            <ul>
                <li><a href="https://formulaire.defenseurdesdroits.fr/" rel="noopener">"par le formulaire en ligne"</a></li>
                <li><a href="https://www.defenseurdesdroits.fr/carte-des-delegues" rel="noopener">"auprès d'un délégué dans votre région"</a></li>
                <li>"par courrier, gratuitement : Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07"</li>
            </ul>
        </div>
    }
}

#[component]
pub fn MentionsLegalesPage() -> impl IntoView {
    view! {
        <Title text="Mentions légales - e-MJPM"/>
        <div class="fr-container fr-py-6w">
            <h1>"Mentions légales"</h1>
            <h2 class="fr-h4">"Éditeur"</h2>
            <p>"Ministère chargé des solidarités — Direction générale de la cohésion sociale (DGCS), "
                "14 avenue Duquesne, 75350 Paris 07 SP."</p>
            <h2 class="fr-h4">"Directeur de la publication"</h2>
            <p>"Le directeur général de la cohésion sociale."</p>
            <AvecExploitant body=|e| view! {
                <h2 class="fr-h4">"Hébergement"</h2>
                <p>{e.hebergeur.clone().unwrap_or_else(|| "Cette instance d'e-MJPM n'a pas encore déclaré son hébergeur (EMJPM_HEBERGEUR).".into())}</p>
                <h2 class="fr-h4">"Contact"</h2>
                <p><Contact exploitant=e/></p>
            }.into_any()/>
            <h2 class="fr-h4">"Licence"</h2>
            <p>"Sauf mention contraire, les contenus de ce site sont sous licence etalab-2.0. "
                "Le code source du service est ouvert."</p>
            <h2 class="fr-h4">"Données personnelles et accessibilité"</h2>
            <p><a href="/donnees-personnelles">"Données personnelles"</a> " — "
                <a href="/accessibilite">"Déclaration d'accessibilité"</a></p>
        </div>
    }
}

/// The pages of the site, by who may open them.
const PLAN: [(&str, &[(&str, &str)]); 5] = [
    (
        "Pour tous",
        &[
            ("/", "Présentation du service"),
            ("/connexion", "Se connecter"),
            ("/inscription", "Demander un compte"),
            ("/mot-de-passe-oublie", "Mot de passe oublié"),
            ("/accessibilite", "Déclaration d'accessibilité"),
            ("/mentions-legales", "Mentions légales"),
            ("/donnees-personnelles", "Données personnelles"),
            ("/plan-du-site", "Plan du site"),
            ("/avis", "Donner mon avis"),
            ("/statistiques", "Statistiques : l'impact du service"),
            ("/api/docs", "Documentation de l'API"),
        ],
    ),
    (
        "Juges et greffiers",
        &[
            ("/tribunal", "Accueil du tribunal"),
            ("/tribunal/recherche", "Trouver un mandataire"),
            ("/tribunal/mesures", "Mesures du tribunal"),
            ("/tribunal/repartition", "Répartition des mesures entre les mandataires"),
        ],
    ),
    (
        "Mandataires",
        &[
            ("/mandataire", "Accueil du mandataire"),
            ("/mandataire/mesures", "Mes mesures"),
            ("/mandataire/capacite", "Ma capacité"),
            ("/mandataire/profil", "Mon profil"),
            ("/mandataire/antennes", "Antennes (services)"),
            ("/mandataire/membres", "Membres (services)"),
        ],
    ),
    (
        "Directions",
        &[
            ("/direction", "Accueil de la direction"),
            ("/liste-blanche", "Liste blanche"),
            ("/direction/statistiques", "Statistiques du territoire"),
            ("/direction/repartition", "Répartition des mesures d'un tribunal"),
            ("/direction/journal", "Journal du territoire"),
        ],
    ),
    ("Tous les comptes", &[("/compte", "Mon compte"), ("/compte/double-authentification", "Double authentification")]),
];

#[component]
pub fn PlanDuSitePage() -> impl IntoView {
    view! {
        <Title text="Plan du site - e-MJPM"/>
        <div class="fr-container fr-py-6w">
            <h1>"Plan du site"</h1>
            {PLAN.iter().map(|(public, pages)| view! {
                <h2 class="fr-h5">{*public}</h2>
                <ul class="fr-mb-3w">
                    {pages.iter().map(|(href, nom)| view! { <li><a class="fr-link" href=*href>{*nom}</a></li> }).collect_view()}
                </ul>
            }).collect_view()}
        </div>
    }
}

/// `robots.txt`: only the public pages may be indexed.
pub fn robots_txt() -> String {
    let mut text = String::from("User-agent: *\nAllow: /$\n");
    for path in
        ["/accessibilite", "/mentions-legales", "/plan-du-site", "/donnees-personnelles", "/inscription", "/connexion", "/statistiques"]
    {
        text.push_str(&format!("Allow: {path}$\n"));
    }
    text.push_str("Disallow: /\n");
    text
}
