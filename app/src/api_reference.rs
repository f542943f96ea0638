//! `/api/docs`: the JSON API's reference for the software vendors who connect
//! to it, as a DSFR page — accessible, readable without JavaScript, in French.
//!
//! It is written from the OpenAPI document itself (`api_doc::ApiDoc`, served
//! at `/api/openapi.json`), so it never drifts from the routes. Swagger UI,
//! whose markup fails the accessibility checks (unlabelled controls, contrast)
//! and cannot be restyled, stays available at `/api/explorateur` to try the
//! calls; it is not the reference.

use crate::errors::AppError;
use crate::layout::kit::{Charge, Tableau};
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

/// One field of a call: a path or query parameter, or a property of the JSON body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChampApi {
    pub nom: String,
    pub obligatoire: bool,
    pub description: String,
}

/// One call of the API.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OperationApi {
    pub methode: String,
    pub chemin: String,
    pub resume: String,
    pub description: String,
    pub parametres: Vec<ChampApi>,
    /// The JSON body's schema name and properties, when the call takes one.
    pub corps: Option<(String, Vec<ChampApi>)>,
    /// (status, meaning)
    pub reponses: Vec<(String, String)>,
}

/// The calls of one tag (authentification, recherche…).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupeApi {
    pub nom: String,
    pub description: String,
    pub operations: Vec<OperationApi>,
}

#[leptos::server(prefix = "/api/fn", endpoint = "reference_api")]
pub async fn load_reference() -> Result<Vec<GroupeApi>, AppError> {
    Ok(from_openapi::groupes())
}

#[cfg(feature = "ssr")]
mod from_openapi {
    use super::{ChampApi, GroupeApi, OperationApi};
    use utoipa::openapi::path::{Operation, ParameterIn};
    use utoipa::openapi::schema::Schema;
    use utoipa::openapi::{OpenApi as Document, RefOr, Required};
    use utoipa::OpenApi;

    /// The document's calls grouped by tag, in the tags' declared order.
    pub fn groupes() -> Vec<GroupeApi> {
        let doc = crate::api_doc::ApiDoc::openapi();
        let mut operations: Vec<(String, OperationApi)> = Vec::new();
        for (chemin, item) in &doc.paths.paths {
            let verbes = [("GET", &item.get), ("POST", &item.post), ("PUT", &item.put), ("PATCH", &item.patch), ("DELETE", &item.delete)];
            for (methode, operation) in verbes {
                if let Some(operation) = operation {
                    let tag = operation.tags.as_ref().and_then(|t| t.first().cloned()).unwrap_or_default();
                    operations.push((tag, operation_api(&doc, methode, chemin, operation)));
                }
            }
        }
        doc.tags
            .iter()
            .flatten()
            .map(|tag| GroupeApi {
                nom: tag.name.clone(),
                description: tag.description.clone().unwrap_or_default(),
                operations: operations.iter().filter(|(t, _)| *t == tag.name).map(|(_, o)| o.clone()).collect(),
            })
            .filter(|groupe| !groupe.operations.is_empty())
            .collect()
    }

    fn operation_api(doc: &Document, methode: &str, chemin: &str, operation: &Operation) -> OperationApi {
        let parametres = operation
            .parameters
            .iter()
            .flatten()
            .filter_map(|p| match p {
                RefOr::T(p) => Some(ChampApi {
                    nom: format!("{} ({})", p.name, if matches!(p.parameter_in, ParameterIn::Path) { "chemin" } else { "requête" }),
                    obligatoire: matches!(p.required, Required::True),
                    description: p.description.clone().unwrap_or_default(),
                }),
                RefOr::Ref(_) => None,
            })
            .collect();
        let corps = operation.request_body.as_ref().and_then(|body| match body {
            RefOr::T(body) => body.content.values().next().and_then(|content| match content {
                RefOr::T(content) => content.schema.as_ref().map(|schema| schema_fields(doc, schema)),
                RefOr::Ref(_) => None,
            }),
            RefOr::Ref(_) => None,
        });
        let reponses = operation
            .responses
            .responses
            .iter()
            .map(|(status, response)| {
                let meaning = match response {
                    RefOr::T(r) => r.description.clone(),
                    RefOr::Ref(r) => r.ref_location.rsplit('/').next().unwrap_or_default().to_string(),
                };
                (status.clone(), meaning)
            })
            .collect();
        OperationApi {
            methode: methode.to_string(),
            chemin: chemin.to_string(),
            resume: operation.summary.clone().unwrap_or_default(),
            description: operation.description.clone().unwrap_or_default(),
            parametres,
            corps,
            reponses,
        }
    }

    /// A body's schema: its name and, for an object, its properties.
    fn schema_fields(doc: &Document, schema: &RefOr<Schema>) -> (String, Vec<ChampApi>) {
        let (name, schema) = match schema {
            RefOr::Ref(r) => {
                let name = r.ref_location.rsplit('/').next().unwrap_or_default().to_string();
                let found = doc.components.as_ref().and_then(|c| c.schemas.get(&name));
                (name, found.and_then(|s| if let RefOr::T(s) = s { Some(s) } else { None }))
            }
            RefOr::T(s) => (String::from("JSON"), Some(s)),
        };
        let fields = match schema {
            Some(Schema::Object(object)) => object
                .properties
                .iter()
                .map(|(nom, property)| ChampApi {
                    nom: nom.clone(),
                    obligatoire: object.required.contains(nom),
                    description: match property {
                        RefOr::T(Schema::Object(p)) => p.description.clone().unwrap_or_default(),
                        _ => String::new(),
                    },
                })
                .collect(),
            _ => Vec::new(),
        };
        (name, fields)
    }
}

#[component]
pub fn ReferenceApiPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_reference());
    view! {
        <Title text="Documentation de l'API - e-MJPM"/>
        <div class="fr-container fr-py-6w">
            <h1>"Documentation de l'API"</h1>
            <p>"L'API JSON d'e-MJPM permet aux logiciels des tribunaux et des mandataires de chercher un mandataire, "
                "de réserver et de suivre les mesures. On s'y authentifie par le cookie de session ouvert par "
                <code>"POST /api/v1/auth/login"</code> " ; chaque appel ne voit que ce que le compte voit dans l'interface."</p>
            <ul>
                <li><a href="/api/openapi.json">"Le document OpenAPI (JSON)"</a>" : la description complète, à importer dans vos outils."</li>
                <li><a href="/api/explorateur/" rel="external">"L'explorateur interactif (Swagger UI)"</a>
                    " : pour essayer les appels ; son accessibilité n'est pas vérifiée."</li>
            </ul>
            <Charge data=data vue=move |groupes| view! { <Groupes groupes/> }/>
        </div>
    }
}

#[component]
fn Groupes(groupes: Vec<GroupeApi>) -> impl IntoView {
    groupes
        .into_iter()
        .map(|groupe| {
            view! {
                <h2 class="fr-mt-6w">{crate::rules::texte::capitalise(&groupe.nom)}</h2>
                <p>{groupe.description.clone()}</p>
                {groupe.operations.into_iter().map(|o| view! { <Operation o/> }).collect_view()}
            }
        })
        .collect_view()
}

#[component]
fn Operation(o: OperationApi) -> impl IntoView {
    let titre = format!("{} {}", o.methode, o.chemin);
    view! {
        <section class="emjpm-api-operation fr-mt-4w">
            <h3 class="fr-h5"><code>{titre}</code></h3>
            {(!o.resume.is_empty()).then(|| view! { <p class="fr-text--bold fr-mb-1w">{o.resume.clone()}</p> })}
            {(!o.description.is_empty()).then(|| view! { <p>{o.description.clone()}</p> })}
            {(!o.parametres.is_empty()).then(|| view! { <Champs legende="Paramètres" champs=o.parametres.clone()/> })}
            {o.corps.clone().map(|(schema, champs)| view! {
                <Champs legende=format!("Corps JSON ({schema})") champs/>
            })}
            <Champs legende="Réponses".to_string()
                champs=o.reponses.iter().map(|(status, sens)| ChampApi { nom: status.clone(), obligatoire: false, description: sens.clone() }).collect()
                reponses=true/>
        </section>
    }
}

#[component]
fn Champs(#[prop(into)] legende: String, champs: Vec<ChampApi>, #[prop(optional)] reponses: bool) -> impl IntoView {
    let colonnes = if reponses { vec!["Statut", "Signification"] } else { vec!["Nom", "Obligatoire", "Description"] };
    view! {
        <Tableau legende legende_cachee=true colonnes>
                    {champs.into_iter().map(|c| view! {
                        <tr>
                            <th scope="row"><code>{c.nom}</code></th>
                            {(!reponses).then(|| view! { <td>{if c.obligatoire { "oui" } else { "non" }}</td> })}
                            <td>{c.description}</td>
                        </tr>
                    }).collect_view()}
        </Tableau>
    }
}
