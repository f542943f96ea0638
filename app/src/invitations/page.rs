//! `/admin/invitations` (the team: import a contacts file, send, follow each
//! invitation's life) and `/invitation/{jeton}` (the invited person: the
//! prefilled sign-up form, or "ne plus recevoir ces invitations"). Plain
//! forms, the same with and without JavaScript.

use super::{Etape, ImportVue, InvitationOuverte, InvitationVue, PageInvitations};
use crate::accounts::inscription_pages::FormulaireDeCompte;
use crate::errors::AppError;
use crate::layout::form::{error_key, Posted, SelectField};
use crate::layout::kit::{Charge, FilAriane, Tableau};
use crate::rules::roles::Role;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The page's data; `query` is the page's query string (its filters).
#[leptos::server(prefix = "/api/fn", endpoint = "invitations")]
pub async fn load_invitations(query: String) -> Result<PageInvitations, AppError> {
    let caller = crate::accounts::guard::caller_with_role(&Role::ADMIN).await?;
    let filtres: super::FiltresInvitations = serde_urlencoded::from_str(query.trim_start_matches('?'))
        .map_err(|_| AppError::Invalide(crate::errors::FILTRES_ILLISIBLES.into()))?;
    let db = crate::state::app_state()?.db;
    super::service::page(&db, &caller, &filtres).await.inspect_err(AppError::set_response_status)
}

/// Opens an invitation's link (anyone holding it): the form's values, or why
/// there is none. The first opening is recorded.
#[leptos::server(prefix = "/api/fn", endpoint = "invitation")]
pub async fn ouvrir_invitation(jeton: String) -> Result<InvitationOuverte, AppError> {
    let db = crate::state::app_state()?.db;
    super::service::ouvrir(&db, &jeton).await.inspect_err(AppError::set_response_status)
}

fn confirmation(code: &str, n: Option<String>) -> Option<String> {
    match code {
        "import" => Some("Fichier importé : le rapport ci-dessous dit qui a été ajouté et qui a été signalé. Les invitations partent quand vous les envoyez.".into()),
        "envoi" => Some(format!(
            "{} : les courriels partent dans les minutes qui viennent (nouvel essai automatique en cas d'échec).",
            crate::rules::texte::compte(n.and_then(|n| n.parse().ok()).unwrap_or(0), "invitation envoyée", "invitations envoyées")
        )),
        _ => None,
    }
}

#[component]
pub fn InvitationsPage() -> impl IntoView {
    let query = use_query_map();
    let filtres = move || {
        let q = query.read();
        crate::layout::kit::query_string(
            [("departement", q.get("departement")), ("etape", q.get("etape"))].into_iter().filter_map(|(k, v)| v.map(|v| (k, v))),
        )
    };
    let data = Resource::new(filtres, load_invitations);
    let fait = {
        let q = query.read_untracked();
        q.get("fait").and_then(|f| confirmation(&f, q.get("n")))
    };
    view! {
        <Title text="Invitations - e-MJPM"/>
        <div class="fr-container fr-py-4w">
            <FilAriane chemin=&[("/admin", "Administration")] page="Invitations"/>
            <h1>"Invitations"</h1>
            <p>"Importez les personnes à inviter dans un territoire, envoyez-leur un lien personnel vers leur demande de compte "
               "déjà remplie, puis suivez chaque invitation : envoyée, ouverte, compte créé, première connexion."</p>
            {fait.map(|m| view! { <div class="fr-alert fr-alert--success fr-alert--sm fr-mb-3w" role="status"><p>{m}</p></div> })}
            <Charge data vue=|page| view! { <Invitations page/> }/>
        </div>
    }
}

#[component]
fn Invitations(page: PageInvitations) -> impl IntoView {
    let a_envoyer = page.par_etape.iter().find(|(e, _)| *e == Etape::AEnvoyer).map_or(0, |(_, n)| *n);
    let departement = page.filtres.departement.clone().unwrap_or_default();
    view! {
        <Import departements=page.departements.clone() departement=departement.clone()/>
        <h2 class="fr-mt-5w" id="suivi">"Suivi"</h2>
        <form method="get" action="/admin/invitations" class="emjpm-filtres fr-mb-3w">
            <div class="fr-grid-row fr-grid-row--gutters">
                <div class="fr-col-12 fr-col-md-5">
                    <SelectField posted=Posted::default() name="departement" label="Territoire" options=page.departements.clone()
                        empty="Tous" initial=departement.clone()/>
                </div>
                <div class="fr-col-12 fr-col-md-4">
                    <SelectField posted=Posted::default() name="etape" label="Étape"
                        options=Etape::ALL.iter().map(|e| (e.code().to_string(), e.label().to_string())).collect()
                        empty="Toutes" initial=page.filtres.etape.clone().unwrap_or_default()/>
                </div>
                <div class="fr-col-12 fr-col-md-3 emjpm-filtres__bouton">
                    <button class="fr-btn fr-btn--secondary" type="submit">"Filtrer"</button>
                </div>
            </div>
        </form>
        <Tableau legende="Invitations par étape" colonnes=vec!["Étape", "Invitations"]>
            {page.par_etape.iter().map(|(e, n)| view! { <tr><td>{e.label()}</td><td>{*n}</td></tr> }).collect_view()}
        </Tableau>
        {if a_envoyer > 0 {
            view! {
                <form method="post" action="/admin/invitations/envoyer" class="fr-mb-3w">
                    <input type="hidden" name="departement" value=departement.clone()/>
                    <button class="fr-btn" type="submit">{format!("Envoyer {}", crate::rules::texte::compte(a_envoyer, "invitation à envoyer", "invitations à envoyer"))}</button>
                    <p class="fr-hint-text">"Au plus 500 par envoi ; un lien personnel valable 30 jours, un rappel après 7 jours s'il n'a pas servi."</p>
                </form>
            }.into_any()
        } else {
            view! { <p>"Aucune invitation n'attend d'être envoyée."</p> }.into_any()
        }}
        <Liste invitations=page.invitations total=page.total/>
        <Imports imports=page.imports/>
    }
}

#[component]
fn Import(departements: Vec<(String, String)>, departement: String) -> impl IntoView {
    let posted = Posted::from_query();
    let erreurs = posted.all(&error_key("fichier"));
    let general = posted.general_error();
    let invalid = !erreurs.is_empty();
    view! {
        <h2 id="import">"Importer des personnes à inviter"</h2>
        {general.map(|m| view! { <div class="fr-alert fr-alert--error fr-alert--sm fr-mb-2w" role="alert"><p>{m}</p></div> })}
        {invalid.then(|| view! {
            <div class="fr-alert fr-alert--error fr-mb-3w" role="alert" id="erreurs" tabindex="-1">
                <h3 class="fr-alert__title">"Le fichier n'est pas importé"</h3>
                <ul>{erreurs.iter().map(|e| view! { <li>{e.clone()}</li> }).collect_view()}</ul>
            </div>
        })}
        <form method="post" action="/admin/invitations/import" enctype="multipart/form-data" class="emjpm-formulaire">
            <SelectField posted=posted.clone() name="departement" label="Territoire des personnes invitées" options=departements
                required=true initial=departement/>
            <div class=if invalid { "fr-upload-group fr-input-group--error" } else { "fr-upload-group" }>
                <label class="fr-label" for="fichier">"Fichier des personnes (CSV)"
                    <span class="fr-hint-text" id="fichier-aide">"Une ligne d'en-tête puis une personne par ligne, séparateur point-virgule "
                        "ou virgule, en UTF-8 ou Windows-1252. Colonnes : role (magistrat, greffier, individuel, préposé, service, "
                        "direction), email, prenom, nom, rattachement (le SIRET ou le nom exact du tribunal ; le SIRET du mandataire "
                        "individuel ou du service ; le FINESS de l'établissement du préposé ; rien pour une direction). "
                        "Rien n'est importé si une ligne est fausse."</span>
                </label>
                <input class="fr-upload" type="file" id="fichier" name="fichier" accept=".csv,text/csv" aria-describedby="fichier-aide"
                    aria-invalid=invalid.then_some("true")/>
            </div>
            <button class="fr-btn fr-mt-2w" type="submit">"Importer le fichier"</button>
        </form>
    }
}

#[component]
fn Liste(invitations: Vec<InvitationVue>, total: i64) -> impl IntoView {
    if invitations.is_empty() {
        return view! { <p role="status">"Aucune invitation ne correspond à ces critères."</p> }.into_any();
    }
    let montrees = invitations.len() as i64;
    view! {
        <p role="status">{if montrees < total {
            format!("{} (les {montrees} plus récentes affichées).", crate::rules::texte::compte(total, "invitation", "invitations"))
        } else {
            format!("{}.", crate::rules::texte::compte(total, "invitation", "invitations"))
        }}</p>
        <Tableau legende="Invitations, les plus récentes d'abord" colonnes=vec!["Personne", "Profil", "Rattachement", "Territoire", "Étape", "Suivi"]>
            {invitations.into_iter().map(|i| view! {
                <tr>
                    <td>{i.nom}<br/><span class="fr-text--xs">{i.email}</span></td>
                    <td>{i.role_label}</td>
                    <td>{i.rattachement}</td>
                    <td>{i.departement}</td>
                    <td><strong>{i.etape.label()}</strong></td>
                    <td><ul class="emjpm-liste-simple fr-text--xs">
                        {i.vie.into_iter().map(|(quoi, quand)| view! { <li>{format!("{quoi} : {quand}")}</li> }).collect_view()}
                    </ul></td>
                </tr>
            }).collect_view()}
        </Tableau>
    }
    .into_any()
}

#[component]
fn Imports(imports: Vec<ImportVue>) -> impl IntoView {
    if imports.is_empty() {
        return ().into_any();
    }
    view! {
        <h2 class="fr-mt-5w">"Derniers imports"</h2>
        {imports.into_iter().map(|i| {
            let titre = format!("{} — {} — « {} » par {} : {} importée(s), {} signalée(s)", i.le, i.departement, i.fichier, i.auteur,
                i.importees, i.signalements.len());
            view! {
                <section class="fr-mb-2w">
                    <p class="fr-mb-1w">{titre}</p>
                    {(!i.signalements.is_empty()).then(|| view! {
                        <details>
                            <summary>"Personnes signalées, non invitées"</summary>
                            <ul class="fr-text--sm">{i.signalements.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul>
                        </details>
                    })}
                </section>
            }
        }).collect_view()}
    }
    .into_any()
}

#[component]
pub fn InvitationPage() -> impl IntoView {
    let params = use_params_map();
    let jeton = move || params.read().get("jeton").unwrap_or_default();
    let data = Resource::new(jeton, ouvrir_invitation);
    let desinscrit = use_query_map().read_untracked().get("fait").is_some_and(|f| f == "desinscription");
    view! {
        <Title text="Votre invitation à e-MJPM - e-MJPM"/>
        <div class="fr-container fr-py-6w">
            <div class="fr-grid-row fr-grid-row--center">
                <div class="fr-col-12 fr-col-md-10 fr-col-lg-8">
                    <Charge data titre_si_erreur="Votre invitation à e-MJPM" vue=move |ouverte| view! {
                        <Invitation ouverte jeton=jeton() desinscrit/>
                    }/>
                </div>
            </div>
        </div>
    }
}

#[component]
fn Invitation(ouverte: InvitationOuverte, jeton: String, desinscrit: bool) -> impl IntoView {
    match ouverte {
        InvitationOuverte::Refusee => view! {
            <h1>"Votre invitation à e-MJPM"</h1>
            <div class="fr-alert fr-alert--info fr-mb-3w" role="status">
                <p>{if desinscrit { "C'est noté : vous ne recevrez plus d'invitation à e-MJPM." }
                    else { "Vous avez demandé à ne plus recevoir d'invitation à e-MJPM : cette invitation ne sert plus." }}</p>
            </div>
            <p>"Si vous changez d'avis, vous pouvez toujours "<a href="/inscription">"demander un compte"</a>"."</p>
        }
        .into_any(),
        InvitationOuverte::Invalide => view! {
            <h1>"Votre invitation à e-MJPM"</h1>
            <div class="fr-alert fr-alert--warning fr-mb-3w" role="status">
                <p>{super::LIEN_INVALIDE}</p>
            </div>
            <p><a class="fr-link" href="/inscription">"Demander un compte"</a>" — "<a class="fr-link" href="/connexion">"Me connecter"</a></p>
        }
        .into_any(),
        InvitationOuverte::Valide { role, role_label, rattachement, valeurs } => {
            let Some(role) = Role::parse(&role) else { return ().into_any() };
            let posted = Posted::from_query().with_defaults(valeurs);
            let refus = Posted::from_query();
            view! {
                <h1>"Votre invitation à e-MJPM"</h1>
                <p class="fr-text--lead">{format!("L'équipe e-MJPM vous invite comme {} — {rattachement}.", role_label.to_lowercase())}</p>
                <p>"Votre demande de compte est déjà remplie avec ce que l'équipe sait de vous : vérifiez-la, complétez-la et "
                   "choisissez votre mot de passe. Si ces informations sont les bonnes, votre compte est activé aussitôt ; "
                   "si vous les changez, l'équipe vérifie votre demande avant de l'activer."</p>
                <FormulaireDeCompte role posted invitation=jeton.clone()/>
                <section class="fr-mt-6w" id="ne-plus-recevoir" aria-labelledby="ne-plus-recevoir-titre">
                    <h2 class="fr-h5" id="ne-plus-recevoir-titre">"Ne plus recevoir ces invitations"</h2>
                    {refus.general_error().map(|m| view! { <div class="fr-alert fr-alert--error fr-alert--sm fr-mb-2w" role="alert"><p>{m}</p></div> })}
                    <p class="fr-text--sm">"Vous n'êtes pas concerné ou ne souhaitez pas utiliser e-MJPM : l'équipe ne vous écrira plus."</p>
                    <form method="post" action=format!("/invitation/{jeton}/ne-plus-recevoir")>
                        <button class="fr-btn fr-btn--tertiary" type="submit">"Ne plus recevoir ces invitations"</button>
                    </form>
                </section>
            }
            .into_any()
        }
    }
}
