//! "Membres du service": who works in the service; its admins invite, name
//! admins and remove members. Plain forms, with or without JavaScript.

use super::membres::Membre;
use crate::errors::AppError;
use crate::layout::cadre::Cadre;
use crate::layout::form::{ErrorSummary, Posted, TextField};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PageMembres {
    pub membres: Vec<Membre>,
    /// The reader is one of the service's admins.
    pub modifiable: bool,
}

#[leptos::server(prefix = "/api/fn", endpoint = "load_membres")]
pub async fn load_membres() -> Result<PageMembres, AppError> {
    use crate::rules::roles::Role;
    let caller = crate::accounts::guard::caller_with_role(&[Role::Service]).await?;
    let db = crate::state::app_state()?.db;
    let membres = super::membres::list(&db, &caller).await.inspect_err(AppError::set_response_status)?;
    Ok(PageMembres { membres, modifiable: super::capacite::may_edit(&caller).is_ok() })
}

pub const FIELDS: [(&str, &str); 3] = [("prenom", "Prénom"), ("nom", "Nom"), ("email", "Adresse électronique")];

fn confirmation(code: &str) -> Option<&'static str> {
    match code {
        "invite" => Some("Invitation envoyée : la personne reçoit un lien pour choisir son mot de passe (valable 7 jours)."),
        "admin" => Some("Les droits sont enregistrés."),
        "retire" => Some("Le membre est retiré du service : son compte est fermé."),
        _ => None,
    }
}

#[component]
pub fn MembresPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_membres());
    let confirmation = crate::layout::cadre::fait().and_then(|c| confirmation(&c));
    view! {
        <Cadre titre="Membres du service" chemin=&[("/mandataire", "Mon activité")] confirmation data
            vue=|page| view! { <ListeMembres page/> }/>
    }
}

#[component]
fn ListeMembres(page: PageMembres) -> impl IntoView {
    let posted = Posted::from_query();
    let modifiable = page.modifiable;
    view! {
        {posted.general_error().map(|m| view! {
            <div class="fr-alert fr-alert--error fr-mb-3w" role="alert"><p>{m}</p></div>
        })}
        <ul class="emjpm-liste-simple">
            {page.membres.into_iter().map(|m| {
                let nom = format!("{} {}", m.prenom, m.nom);
                view! {
                    <li class="fr-mb-3w">
                        <strong>{nom.clone()}</strong>
                        {m.admin.then(|| view! { " " <span class="fr-badge fr-badge--sm fr-badge--info">"administrateur"</span> })}
                        {(!m.connecte).then(|| view! { " " <span class="fr-badge fr-badge--sm">"invitation en attente"</span> })}
                        {m.moi.then(|| view! { " " <span class="fr-badge fr-badge--sm fr-badge--success">"vous"</span> })}
                        <br/>{m.email.clone()}
                        {(modifiable && !m.moi).then(|| view! {
                            <div class="fr-btns-group fr-btns-group--inline-sm fr-btns-group--sm fr-mt-1w">
                                <form method="post" action=format!("/mandataire/membres/{}/administrateur", m.user_id)>
                                    <input type="hidden" name="admin" value=if m.admin { "non" } else { "oui" }/>
                                    <button class="fr-btn fr-btn--sm fr-btn--secondary" type="submit">
                                        {if m.admin { format!("Retirer les droits d'administrateur de {nom}") } else { format!("Nommer {nom} administrateur") }}
                                    </button>
                                </form>
                                <form method="post" action=format!("/mandataire/membres/{}/retirer", m.user_id)>
                                    <button class="fr-btn fr-btn--sm fr-btn--tertiary" type="submit">{format!("Retirer {nom} du service")}</button>
                                </form>
                            </div>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
        {if modifiable {
            view! {
                <h2 class="fr-h4 fr-mt-4w" id="inviter">"Inviter une personne"</h2>
                <p class="fr-text--sm">"Elle reçoit par courriel un lien pour choisir son mot de passe ; son compte est rattaché au service."</p>
                <ErrorSummary posted=posted.clone() title="L'invitation n'est pas envoyée" fields=&FIELDS/>
                <form method="post" action="/mandataire/membres" class="emjpm-formulaire" novalidate=true>
                    <TextField posted=posted.clone() name="prenom" label="Prénom" required=true autocomplete="off"/>
                    <TextField posted=posted.clone() name="nom" label="Nom" required=true autocomplete="off"/>
                    <TextField posted=posted.clone() name="email" label="Adresse électronique" input_type="email" required=true autocomplete="off"/>
                    <div class="fr-checkbox-group fr-mb-2w">
                        <input type="checkbox" id="admin" name="admin" value="oui" checked=posted.has("admin")/>
                        <label class="fr-label" for="admin">"Administrateur du service"
                            <span class="fr-hint-text">"Gère la capacité, les antennes, le profil et les membres"</span></label>
                    </div>
                    <button class="fr-btn" type="submit">"Envoyer l'invitation"</button>
                </form>
            }.into_any()
        } else {
            view! { <p class="fr-alert fr-alert--info">"Seuls les administrateurs du service invitent ou retirent des membres."</p> }.into_any()
        }}
    }
}
