//! Home of the product team: accounts by role, professionals, courts, measures.

use super::{format_count, Chiffre, ErrorAlert};
use crate::errors::AppError;
use crate::measures::StatusCounts;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ComptesParRole {
    pub role: String,
    pub actifs: i64,
    pub inactifs: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccueilAdmin {
    pub comptes: Vec<ComptesParRole>,
    pub gestionnaires: i64,
    pub tribunaux: i64,
    pub mesures: StatusCounts,
}

#[leptos::server(prefix = "/api/fn", endpoint = "accueil_admin")]
pub async fn load_accueil_admin() -> Result<AccueilAdmin, AppError> {
    use crate::accounts::guard::caller_with_role;
    use crate::db::entities::{gestionnaires, tribunaux, users};
    use crate::rules::roles::Role;
    use sea_orm::sea_query::{Expr, ExprTrait};
    use sea_orm::{Condition, EntityTrait, PaginatorTrait, QuerySelect};

    caller_with_role(&[Role::Admin]).await?;
    let db = crate::state::app_state()?.db;
    let rows: Vec<(String, bool, i64)> = users::Entity::find()
        .select_only()
        .columns([users::Column::Role, users::Column::Active])
        .column_as(Expr::col(users::Column::Id).count(), "n")
        .group_by(users::Column::Role)
        .group_by(users::Column::Active)
        .into_tuple()
        .all(&db)
        .await?;
    let comptes = Role::ALL
        .iter()
        .map(|role| {
            let count = |active: bool| {
                rows.iter()
                    .filter(|(r, a, _)| r == role.as_str() && *a == active)
                    .map(|(_, _, n)| *n)
                    .sum()
            };
            ComptesParRole { role: role.label().to_string(), actifs: count(true), inactifs: count(false) }
        })
        .collect();
    Ok(AccueilAdmin {
        comptes,
        gestionnaires: gestionnaires::Entity::find().count(&db).await? as i64,
        tribunaux: tribunaux::Entity::find().count(&db).await? as i64,
        mesures: crate::measures::counts::by_status(&db, Condition::all()).await?,
    })
}

#[component]
pub fn AdminHome() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_accueil_admin());
    view! {
        <Title text="Administration - e-MJPM"/>
        <div class="fr-container fr-py-4w">
            <h1>"Administration"</h1>
            <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(home) => view! {
                            <div class="fr-grid-row fr-grid-row--gutters fr-mb-4w">
                                <Chiffre valeur=format_count(home.gestionnaires) libelle="mandataires et services"/>
                                <Chiffre valeur=format_count(home.tribunaux) libelle="tribunaux"/>
                                <Chiffre valeur=format_count(home.mesures.en_cours) libelle="mesures en cours"/>
                                <Chiffre valeur=format_count(home.mesures.en_attente) libelle="réservations en attente"/>
                            </div>
                            <div class="fr-table"><div class="fr-table__wrapper"><div class="fr-table__container" tabindex="0"><div class="fr-table__content">
                            <table>
                                <caption>"Comptes par rôle"</caption>
                                <thead><tr><th scope="col">"Rôle"</th><th scope="col">"Actifs"</th><th scope="col">"Inactifs"</th></tr></thead>
                                <tbody>
                                    {home.comptes.iter().map(|c| view! {
                                        <tr><th scope="row">{c.role.clone()}</th>
                                            <td>{format_count(c.actifs)}</td><td>{format_count(c.inactifs)}</td></tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            </div></div></div></div>
                        }.into_any(),
                        Err(error) => view! { <ErrorAlert error/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}
