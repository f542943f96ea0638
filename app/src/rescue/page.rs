//! `/admin/a-relancer`: the people who need a hand, grouped by reason.

use super::{ARelancer, Raison};
use crate::errors::AppError;
use crate::layout::kit::{Charge, FilAriane, Tableau};
use leptos::prelude::*;
use leptos_meta::Title;

#[leptos::server(prefix = "/api/fn", endpoint = "a_relancer")]
pub async fn load_a_relancer() -> Result<Vec<ARelancer>, AppError> {
    use crate::accounts::guard::caller_with_role;
    use crate::rules::roles::Role;
    let caller = caller_with_role(&Role::ADMIN).await?;
    let db = crate::state::app_state()?.db;
    super::service::list(&db, &caller).await.inspect_err(AppError::set_response_status)
}

#[component]
pub fn ARelancerPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_a_relancer());
    view! {
        <Title text="Utilisateurs à relancer - e-MJPM"/>
        <div class="fr-container fr-py-4w">
            <FilAriane chemin=&[("/admin", "Administration")] page="Utilisateurs à relancer"/>
            <h1>"Utilisateurs à relancer"</h1>
            <p>"Les personnes qui ont besoin d'un coup de main, raison par raison ; les inscriptions qui attendent l'équipe d'abord."</p>
            <Charge data vue=|liste| view! { <Liste liste/> }/>
        </div>
    }
}

#[component]
fn Liste(liste: Vec<ARelancer>) -> impl IntoView {
    if liste.is_empty() {
        return view! { <p role="status">"Personne à relancer aujourd'hui."</p> }.into_any();
    }
    let total = liste.len();
    view! {
        <p role="status">{crate::rules::texte::compte(total as i64, "personne à relancer", "personnes à relancer")}</p>
        {Raison::ALL.into_iter().filter_map(|raison| {
            let lignes: Vec<ARelancer> = liste.iter().filter(|l| l.raison == raison.code()).cloned().collect();
            (!lignes.is_empty()).then(|| view! {
                <h2 class="fr-h5 fr-mt-3w">{format!("{} ({})", raison.label(), lignes.len())}</h2>
                <Tableau legende=raison.label() legende_cachee=true colonnes=vec!["Personne", "Rôle", "Territoire", "Depuis", "Dernière action"]>
                    {lignes.into_iter().map(|l| view! {
                        <tr>
                            <th scope="row">{l.nom.clone()}<br/><span class="fr-text--sm">{l.email.clone()}</span></th>
                            <td>{crate::rules::roles::Role::parse(&l.role).map(|r| r.label()).unwrap_or("")}</td>
                            <td>{l.territoire.clone().unwrap_or_default()}</td>
                            <td>{l.depuis.clone()}</td>
                            <td>{l.derniere_action.clone().unwrap_or_else(|| "aucune".into())}</td>
                        </tr>
                    }).collect_view()}
                </Tableau>
            })
        }).collect_view()}
    }
    .into_any()
}
