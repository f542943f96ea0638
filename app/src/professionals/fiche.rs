//! A professional's page for magistrats and greffiers: contact, address,
//! competences, tribunals, antennes with their capacities, and the notes of the
//! caller's tribunal.

use super::notes::{Note, NotesSection};
use crate::errors::AppError;
use crate::layout::kit::{Charge, Tableau};
use crate::rules::capacity::{Disponibilite, JOURS_AVANT_OBSOLESCENCE};
use crate::rules::vocabulary::{self, TYPES_GESTIONNAIRE};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AntenneFiche {
    pub id: i32,
    pub nom: String,
    pub contact: Option<String>,
    pub email: Option<String>,
    pub telephone: Option<String>,
    pub adresse: String,
    pub code_postal: String,
    pub ville: String,
    pub mesures_max: i32,
    pub en_cours: i32,
    pub en_attente: i32,
    pub disponibles: i32,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fiche {
    pub id: i32,
    pub kind: String,
    pub nom: String,
    pub siret: Option<String>,
    pub email: String,
    pub telephone: String,
    pub adresse: String,
    pub code_postal: String,
    pub ville: String,
    pub suspendu: bool,
    pub motif_suspension: Option<String>,
    /// Libellés ; vide signifie toutes les natures.
    pub natures: Vec<String>,
    pub competences: Vec<String>,
    pub mesures_max: i32,
    pub en_cours: i32,
    pub en_attente: i32,
    pub disponibles: i32,
    pub jours_depuis_mise_a_jour: i64,
    pub tribunaux_preferes: Vec<String>,
    pub antennes: Vec<AntenneFiche>,
    pub notes: Vec<Note>,
}

#[leptos::server(prefix = "/api/fn", endpoint = "fiche_mandataire")]
pub async fn load_fiche(id: i32) -> Result<Fiche, AppError> {
    use crate::accounts::guard::caller_with_role;
    use crate::rules::roles::Role;
    let caller = caller_with_role(&Role::TRIBUNAL).await?;
    fiche_for(&crate::state::app_state()?.db, &caller, id).await
}

/// The page of professional `id` for a magistrat or greffier (any approved
/// professional: judges may search the whole country).
#[cfg(feature = "ssr")]
pub async fn fiche_for(db: &sea_orm::DatabaseConnection, caller: &crate::accounts::guard::Caller, id: i32) -> Result<Fiche, AppError> {
    use crate::db::entities::{antennes, communes, gestionnaire_tribunaux, gestionnaires, tribunaux};
    use crate::rules::capacity::disponibles;
    use crate::rules::vocabulary::NATURES;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

    let tribunal_id = caller.tribunal_id()?;
    let db = db.clone();
    let g = gestionnaires::Entity::find_by_id(id)
        .filter(gestionnaires::Column::ListeBlancheId.is_not_null())
        .one(&db)
        .await?
        .ok_or(AppError::Introuvable)?;
    let town = |code: &str| {
        let db = db.clone();
        let code = code.to_string();
        async move { Ok::<_, AppError>(communes::Entity::find_by_id(code.clone()).one(&db).await?.map(|c| c.nom).unwrap_or(code)) }
    };
    let tribunal_ids: Vec<i32> = gestionnaire_tribunaux::Entity::find()
        .filter(gestionnaire_tribunaux::Column::GestionnaireId.eq(id))
        .all(&db)
        .await?
        .into_iter()
        .map(|t| t.tribunal_id)
        .collect();
    let tribunaux_preferes = tribunaux::Entity::find()
        .filter(tribunaux::Column::Id.is_in(tribunal_ids))
        .order_by_asc(tribunaux::Column::Nom)
        .all(&db)
        .await?
        .into_iter()
        .map(|t| t.nom)
        .collect();
    let mut antennes_fiche = Vec::new();
    for a in antennes::Entity::find().filter(antennes::Column::GestionnaireId.eq(id)).order_by_asc(antennes::Column::Nom).all(&db).await? {
        antennes_fiche.push(AntenneFiche {
            id: a.id,
            ville: town(&a.commune_code).await?,
            disponibles: disponibles(a.mesures_max, a.en_cours, a.en_attente, g.suspendu),
            nom: a.nom,
            contact: a.contact,
            email: a.email,
            telephone: a.telephone,
            adresse: a.adresse,
            code_postal: a.code_postal,
            mesures_max: a.mesures_max,
            en_cours: a.en_cours,
            en_attente: a.en_attente,
        });
    }
    let split = |list: &str| -> Vec<String> { list.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect() };
    let notes = super::notes::notes_of(&db, caller, tribunal_id, id).await?;
    Ok(Fiche {
        id: g.id,
        nom: super::display_name(&g.kind, &g.nom, g.prenom.as_deref()),
        ville: town(&g.commune_code).await?,
        natures: split(&g.natures_acceptees).iter().map(|code| vocabulary::label(&NATURES, code).unwrap_or(code).to_string()).collect(),
        competences: split(&g.competences),
        disponibles: disponibles(g.mesures_max, g.en_cours, g.en_attente, g.suspendu),
        jours_depuis_mise_a_jour: (chrono::Utc::now().fixed_offset() - g.derniere_mise_a_jour).num_days().max(0),
        kind: g.kind,
        siret: g.siret,
        email: g.email,
        telephone: g.telephone,
        adresse: g.adresse,
        code_postal: g.code_postal,
        suspendu: g.suspendu,
        motif_suspension: g.motif_suspension,
        mesures_max: g.mesures_max,
        en_cours: g.en_cours,
        en_attente: g.en_attente,
        tribunaux_preferes,
        antennes: antennes_fiche,
        notes,
    })
}

#[component]
pub fn FichePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i32>().ok()).unwrap_or(0);
    // The page reloads its data after each note added, edited or deleted.
    let actions = super::notes::NoteActions::new();
    provide_context(actions);
    let fiche = Resource::new(move || (id(), actions.version(), crate::realtime::changements()), |(id, _, _)| load_fiche(id));
    view! {
        <div class="fr-container fr-py-4w">
            <nav role="navigation" class="fr-breadcrumb" aria-label="vous êtes ici :">
                <ol class="fr-breadcrumb__list">
                    <li><a class="fr-breadcrumb__link" href="/tribunal">"Accueil du tribunal"</a></li>
                    <li><a class="fr-breadcrumb__link" href="/tribunal/recherche">"Trouver un mandataire"</a></li>
                    <li><a class="fr-breadcrumb__link" aria-current="page">"Fiche"</a></li>
                </ol>
            </nav>
            <Charge data=fiche titre_si_erreur="Fiche du mandataire" vue=move |f| view! { <FicheView f/> }/>
        </div>
    }
}

#[component]
fn FicheView(f: Fiche) -> impl IntoView {
    let etat = Disponibilite::of(f.disponibles, f.suspendu);
    let kind = vocabulary::label(&TYPES_GESTIONNAIRE, &f.kind).unwrap_or("Mandataire");
    let stale = f.jours_depuis_mise_a_jour > JOURS_AVANT_OBSOLESCENCE;
    let natures = if f.natures.is_empty() { "Toutes les natures".to_string() } else { f.natures.join(", ") };
    let competences = if f.competences.is_empty() { "Aucune déclarée".to_string() } else { f.competences.join(", ") };
    let tribunaux = if f.tribunaux_preferes.is_empty() { "Aucun".to_string() } else { f.tribunaux_preferes.join(", ") };
    let mailto = format!("mailto:{}", f.email);
    let tel = format!("tel:{}", f.telephone.replace(' ', ""));
    // After a reservation (see measures::reservation_form): its confirmation.
    let query = leptos_router::hooks::use_query_map();
    let reservee = query.read_untracked().get("reservee").filter(|rg| !rg.is_empty());
    let mesure = query.read_untracked().get("mesure").and_then(|id| id.parse::<i64>().ok());
    let avertie = query.read_untracked().get("avertissement").is_some();
    // Coming from the search: the place and nature searched go on to the form.
    let suite = crate::search::page::search_context(&query.read_untracked());
    view! {
        {reservee.map(|rg| view! {
            <div class="fr-alert fr-alert--success fr-mb-3w" role="status">
                <h2 class="fr-alert__title">{format!("Mesure RG {} réservée", crate::rules::rg::display_rg(&rg))}</h2>
                <p>"Le mandataire la trouve dans ses mesures en attente."
                    {avertie.then_some(" Attention : il était complet ou ne prenait plus de mesures ; vérifiez avec lui qu'il pourra l'accepter.")}</p>
                {mesure.map(|id| view! {
                    <p><a class="fr-link" href=format!("/tribunal/mesures/{id}")>"Voir la mesure réservée"</a></p>
                })}
                <p><a class="fr-link" href="/avis?depuis=%2Ftribunal%2Fmandataires%2F0%2Freserver">"Comment s'est passée cette réservation ? Donner mon avis"</a></p>
            </div>
        })}
        <p class="fr-badge fr-badge--no-icon fr-mb-1w">{kind}</p>
        <Title text=crate::layout::form::textarea_text(&format!("{} - Fiche du mandataire - e-MJPM", f.nom))/>
        <h1>{f.nom.clone()}</h1>
        <p><span class=etat.badge_class()>{etat.label()}</span></p>
        // Said before the button: a reservation beyond capacity is the judge's choice.
        {crate::rules::capacity::avertissement_avant_reservation(f.disponibles, f.suspendu).map(|message| view! {
            <div class="fr-alert fr-alert--warning fr-alert--sm fr-mb-2w" id="avertissement-capacite">
                <p>{message}
                    {f.motif_suspension.clone().filter(|_| f.suspendu).map(|motif| format!(" Motif : {motif}"))}</p>
            </div>
        })}
        <p><a class="fr-btn fr-icon-calendar-line fr-btn--icon-left" href=format!("/tribunal/mandataires/{}/reserver{}", f.id, suite)>
            "Réserver une mesure"</a></p>
        <div class="fr-grid-row fr-grid-row--gutters fr-mb-3w">
            <div class="fr-col-12 fr-col-md-6">
                <h2 class="fr-h5">"Capacité"</h2>
                <dl class="emjpm-chiffres-resultat">
                    <div><dt>"En cours / souhaitées"</dt><dd>{crate::rules::capacity::capacite_en_clair(f.en_cours, f.mesures_max, f.suspendu)}</dd></div>
                    <div><dt>"En attente"</dt><dd>{f.en_attente}</dd></div>
                    <div><dt>"Disponibles"</dt><dd>{crate::rules::capacity::disponibles_en_clair(f.disponibles, f.suspendu)}</dd></div>
                </dl>
                <p class=if stale { "fr-badge fr-badge--sm fr-badge--warning" } else { "fr-text--sm" }>
                    {format!("Mis à jour {}", crate::rules::texte::depuis(f.jours_depuis_mise_a_jour))}
                </p>
            </div>
            <div class="fr-col-12 fr-col-md-6">
                <h2 class="fr-h5">"Coordonnées"</h2>
                <address class="fr-mb-1w">{f.adresse.clone()}<br/>{format!("{} {}", f.code_postal, f.ville)}</address>
                <p class="fr-mb-1v"><a class="fr-link" href=tel>{f.telephone.clone()}</a></p>
                <p class="fr-mb-1v"><a class="fr-link" href=mailto>{f.email.clone()}</a></p>
                {f.siret.clone().map(|s| view! { <p class="fr-text--sm">"SIRET : " {s}</p> })}
            </div>
        </div>
        <dl class="fr-mb-3w">
            <dt class="fr-text--bold">"Natures de mesure acceptées"</dt><dd class="fr-mb-2w">{natures}</dd>
            <dt class="fr-text--bold">"Langues et compétences"</dt><dd class="fr-mb-2w">{competences}</dd>
            <dt class="fr-text--bold">"Tribunaux préférés"</dt><dd class="fr-mb-2w">{tribunaux}</dd>
        </dl>
        {(!f.antennes.is_empty()).then(|| view! {
            <h2 class="fr-h5">"Antennes"</h2>
            <Tableau legende="Antennes du service et leur capacité" colonnes=vec!["Antenne", "Adresse", "Contact", "En cours / souhaitées", "En attente", "Disponibles"]>
                    {f.antennes.iter().map(|a| view! {
                        <tr>
                            <th scope="row">{a.nom.clone()}</th>
                            <td>{format!("{}, {} {}", a.adresse, a.code_postal, a.ville)}</td>
                            <td>{[a.contact.clone(), a.telephone.clone(), a.email.clone()].into_iter().flatten().collect::<Vec<_>>().join(" — ")}</td>
                            <td>{crate::rules::capacity::capacite_en_clair(a.en_cours, a.mesures_max, f.suspendu)}</td>
                            <td>{a.en_attente}</td>
                            <td>{crate::rules::capacity::disponibles_en_clair(a.disponibles, f.suspendu)}</td>
                        </tr>
                    }).collect_view()}
            </Tableau>
        })}
        <NotesSection gestionnaire_id=f.id notes=f.notes.clone()/>
    }
}
