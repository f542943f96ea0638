//! Home of State agents (directions): the professionals approved in their
//! territory and their load. Scope is the territory of the session, never a
//! parameter.

use crate::errors::AppError;
use crate::layout::kit::{Chiffre, ErrorAlert};
use crate::rules::texte::format_count;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccueilDirection {
    pub structure: String,
    pub territoire: String,
    pub departements: usize,
    pub individuels: i64,
    pub preposes: i64,
    pub services: i64,
    pub mesures_en_cours: i64,
    pub mesures_en_attente: i64,
    pub tribunaux: i64,
}

#[leptos::server(prefix = "/api/fn", endpoint = "accueil_direction")]
pub async fn load_accueil_direction() -> Result<AccueilDirection, AppError> {
    use crate::accounts::guard::{caller_with_role, Scope, Territoire};
    use crate::db::entities::{directions, gestionnaires, regions, tribunaux};
    use crate::rules::roles::Role;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect};

    let caller = caller_with_role(&[Role::Direction]).await?;
    let Scope::Territoire(territoire) = &caller.scope else {
        return Err(AppError::Interdit);
    };
    let db = crate::state::app_state()?.db;
    let structure = directions::Entity::find_by_id(caller.user_id).one(&db).await?.map(|d| d.structure).unwrap_or_default();
    // The territory's départements: the one rule, shared with the liste blanche and the journal.
    let (departements, _) = crate::territories::liste_blanche::territory(&db, &caller).await?;
    let label = match territoire {
        Territoire::National => "France entière".to_string(),
        Territoire::Region(code) => {
            let nom = regions::Entity::find_by_id(code.clone()).one(&db).await?.map(|r| r.nom);
            format!("Région {}", nom.unwrap_or_else(|| code.clone()))
        }
        Territoire::Departement(code) => {
            let nom = departements.first().map(|d| d.nom.clone());
            format!("Département {} ({code})", nom.unwrap_or_default())
        }
    };
    let codes: Vec<String> = departements.into_iter().map(|d| d.code).collect();
    let rows: Vec<(String, i32, i32)> = gestionnaires::Entity::find()
        .select_only()
        .columns([gestionnaires::Column::Kind, gestionnaires::Column::EnCours, gestionnaires::Column::EnAttente])
        .filter(crate::territories::approvals::approved_in(&codes))
        .into_tuple()
        .all(&db)
        .await?;
    let count_kind = |kind: &str| rows.iter().filter(|(k, _, _)| k == kind).count() as i64;
    let tribunaux = tribunaux::Entity::find().filter(tribunaux::Column::DepartementCode.is_in(codes.clone())).count(&db).await? as i64;
    Ok(AccueilDirection {
        structure,
        territoire: label,
        departements: codes.len(),
        individuels: count_kind("individuel"),
        preposes: count_kind("prepose"),
        services: count_kind("service"),
        mesures_en_cours: rows.iter().map(|r| i64::from(r.1)).sum(),
        mesures_en_attente: rows.iter().map(|r| i64::from(r.2)).sum(),
        tribunaux,
    })
}

#[component]
pub fn DirectionHome() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_accueil_direction());
    view! {
        <Title text="Mon territoire - e-MJPM"/>
        <div class="fr-container fr-py-4w">
            <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(home) => view! {
                            <h1>{home.structure.clone()}</h1>
                            <p class="fr-text--lead">{home.territoire.clone()}
                                {format!(" — {} département{}", home.departements, if home.departements > 1 { "s" } else { "" })}</p>
                            <h2 class="fr-h4">"Mandataires agréés sur votre territoire"</h2>
                            <div class="fr-grid-row fr-grid-row--gutters fr-mb-4w">
                                <Chiffre valeur=format_count(home.individuels) libelle="mandataires individuels"/>
                                <Chiffre valeur=format_count(home.preposes) libelle="préposés d'établissement"/>
                                <Chiffre valeur=format_count(home.services) libelle="services mandataires"/>
                                <Chiffre valeur=format_count(home.tribunaux) libelle="tribunaux"/>
                            </div>
                            <h2 class="fr-h4">"Leur activité"</h2>
                            <div class="fr-grid-row fr-grid-row--gutters">
                                <Chiffre valeur=format_count(home.mesures_en_cours) libelle="mesures en cours"/>
                                <Chiffre valeur=format_count(home.mesures_en_attente) libelle="réservations en attente"/>
                            </div>
                        }.into_any(),
                        Err(error) => view! { <h1>"Mon territoire"</h1><ErrorAlert error/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}
