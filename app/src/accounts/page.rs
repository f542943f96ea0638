//! The sign-in page. A plain form post to `/connexion`: it works the same with
//! and without JavaScript, and the server answers with a redirect to the role's
//! home (or back here with an error code).

use crate::rules::throttle::Decision;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The message for an error code set by the server after a failed sign-in
/// (`secondes`: the wait imposed by the throttle, a number only).
pub(crate) fn error_message(code: &str, secondes: Option<String>) -> String {
    let secondes = || secondes.as_deref().and_then(|s| s.parse::<i64>().ok()).unwrap_or(60).clamp(1, 24 * 3600);
    match code {
        "identifiants" => "Adresse électronique ou mot de passe incorrect.".into(),
        "inactif" => "Ce compte n'est pas actif : il attend sa validation par l'équipe e-MJPM ou a été désactivé.".into(),
        "code_expire" => "Cette connexion a expiré : saisissez de nouveau votre adresse et votre mot de passe.".into(),
        "code_epuise" => "Trop de codes incorrects : saisissez de nouveau votre adresse et votre mot de passe.".into(),
        "attente" => Decision::Attendre { secondes: secondes() }.message().unwrap_or_default(),
        "verrouillage" => Decision::Verrouillee { secondes: secondes() }.message().unwrap_or_default(),
        _ => "La connexion a échoué à cause d'une erreur interne. Réessayez dans un instant.".into(),
    }
}

#[component]
pub fn ConnexionPage() -> impl IntoView {
    let query = use_query_map();
    let error = move || {
        let query = query.read();
        query.get("erreur").map(|code| error_message(&code, query.get("secondes")))
    };
    let signed_out = move || {
        let query = query.read();
        match (query.get("deconnecte").as_deref(), query.get("reinitialise").is_some()) {
            (_, true) => Some("Votre nouveau mot de passe est enregistré : connectez-vous avec lui."),
            (Some("partout"), _) => Some("Vous êtes déconnecté de tous vos appareils."),
            (Some(_), _) => Some("Vous êtes déconnecté."),
            (None, false) => None,
        }
    };
    view! {
        <Title text="Connexion - e-MJPM"/>
        <div class="fr-container fr-py-6w">
            <div class="fr-grid-row fr-grid-row--center">
                <div class="fr-col-12 fr-col-md-8 fr-col-lg-6">
                    <h1>"Connexion"</h1>
                    <p>"Connectez-vous avec l'adresse électronique et le mot de passe de votre compte e-MJPM."</p>
                    {move || signed_out().map(|message| view! {
                        <div class="fr-alert fr-alert--success fr-alert--sm fr-mb-3w">
                            <p>{message}</p>
                        </div>
                    })}
                    {move || query.read().get("deverrouillage").is_some().then(|| view! {
                        <div class="fr-alert fr-alert--info fr-alert--sm fr-mb-3w">
                            <p>"Connectez-vous avec votre mot de passe : ce lien vous permet de le faire depuis cet appareil \
                                malgré le blocage des appareils inconnus."</p>
                        </div>
                    })}
                    {move || error().map(|message| view! {
                        <div class="fr-alert fr-alert--error fr-alert--sm fr-mb-3w" role="alert">
                            <p>{message}</p>
                        </div>
                    })}
                    <form method="post" action="/connexion">
                        // The unlock link mailed to the owner of a blocked address.
                        {move || query.read().get("deverrouillage").filter(|l| crate::rules::jeton::est_jeton(l)).map(|lien| view! {
                            <input type="hidden" name="deverrouillage" value=lien/>
                        })}
                        <fieldset class="fr-fieldset">
                            <legend class="fr-fieldset__legend">"Vos identifiants"</legend>
                            <div class="fr-fieldset__element">
                                <div class="fr-input-group">
                                    <label class="fr-label" for="email">
                                        "Adresse électronique"
                                        <span class="fr-hint-text">"Format attendu : nom@domaine.fr"</span>
                                    </label>
                                    <input class="fr-input" id="email" name="email" type="email"
                                        autocomplete="username" required=true spellcheck="false"/>
                                </div>
                            </div>
                            <div class="fr-fieldset__element">
                                <div class="fr-input-group">
                                    <label class="fr-label" for="password">"Mot de passe"</label>
                                    <input class="fr-input" id="password" name="password" type="password"
                                        autocomplete="current-password" required=true/>
                                </div>
                            </div>
                            <div class="fr-fieldset__element">
                                <button class="fr-btn" type="submit">"Se connecter"</button>
                            </div>
                            <div class="fr-fieldset__element">
                                <a class="fr-link" href="/mot-de-passe-oublie">"Mot de passe oublié ?"</a>
                            </div>
                            <div class="fr-fieldset__element">
                                <a class="fr-link" href="/inscription">"Pas encore de compte ? Demander une inscription"</a>
                            </div>
                        </fieldset>
                    </form>
                </div>
            </div>
        </div>
    }
}
