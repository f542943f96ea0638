//! "Observations": the judges' private notes on a professional. Shared by the
//! magistrats and greffiers of one tribunal, never shown to the professional;
//! each author edits and deletes only their own notes.

use crate::errors::AppError;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Note {
    pub id: i32,
    pub auteur: String,
    /// Par exemple « 24/11/2026 ».
    pub date: String,
    pub modifiee: bool,
    pub contenu: String,
    /// Écrite par l'appelant.
    pub modifiable: bool,
}

pub const NOTE_MAX: usize = 2000;

/// The same text by the same author on the same professional within this many
/// minutes is one note sent twice (a double click), saved once.
pub const DOUBLON_MINUTES: i64 = 10;

/// Refusals, by the code carried in the URL after a form post without JavaScript.
fn refusal(code: &str) -> AppError {
    match code {
        "vide" => AppError::Invalide("L'observation est vide.".into()),
        "trop_long" => AppError::Invalide(format!("L'observation dépasse {NOTE_MAX} caractères.")),
        "introuvable" => AppError::Introuvable,
        "interdit" => AppError::Interdit,
        _ => AppError::Invalide("L'observation n'a pas pu être enregistrée.".into()),
    }
}

/// The notes of a tribunal on a professional, newest first.
#[cfg(feature = "ssr")]
pub async fn notes_of(
    db: &sea_orm::DatabaseConnection,
    caller: &crate::accounts::guard::Caller,
    tribunal_id: i32,
    gestionnaire_id: i32,
) -> Result<Vec<Note>, AppError> {
    use crate::db::entities::{notes, users};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let rows = notes::Entity::find()
        .filter(notes::Column::TribunalId.eq(tribunal_id))
        .filter(notes::Column::GestionnaireId.eq(gestionnaire_id))
        .order_by_desc(notes::Column::CreatedAt)
        .order_by_desc(notes::Column::Id)
        .find_also_related(users::Entity)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(n, author)| Note {
            id: n.id,
            auteur: author.map(|u| format!("{} {}", u.prenom, u.nom)).unwrap_or_else(|| "Ancien compte".into()),
            date: n.created_at.format("%d/%m/%Y").to_string(),
            modifiee: n.updated_at != n.created_at,
            modifiable: n.auteur_user_id == caller.user_id,
            contenu: n.contenu,
        })
        .collect())
}

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::accounts::guard::{caller_with_role, Caller};
    use crate::db::entities::{gestionnaires, notes};
    use crate::rules::roles::Role;
    use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

    /// A form posted without JavaScript goes back to the page, with an error code
    /// when it failed (the page shows the matching message).
    /// Returns whether the request was such a form.
    pub fn back_to_page(code: Option<&str>) -> bool {
        let Some(parts) = use_context::<http::request::Parts>() else { return false };
        let plain_form = parts.headers.get(http::header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("text/html"));
        let referer = parts.headers.get(http::header::REFERER).and_then(|v| v.to_str().ok());
        if let (true, Some(referer)) = (plain_form, referer) {
            // Keep the path of the page only (same site), drop its query.
            let path = referer.splitn(4, '/').nth(3).map(|rest| format!("/{rest}")).unwrap_or_else(|| "/".into());
            let path = path.split(['?', '#']).next().unwrap_or("/").to_string();
            let target = match code {
                Some(code) => format!("{path}?note_erreur={code}#observations"),
                None => format!("{path}#observations"),
            };
            leptos_axum::redirect(&target);
            return true;
        }
        false
    }

    pub fn code_of(error: &AppError) -> &'static str {
        match error {
            AppError::Invalide(m) if m.contains("vide") => "vide",
            AppError::Invalide(_) => "trop_long",
            AppError::Introuvable => "introuvable",
            AppError::Interdit | AppError::NonConnecte => "interdit",
            _ => "interne",
        }
    }

    pub fn checked_text(contenu: &str) -> Result<String, AppError> {
        let text = contenu.trim();
        if text.is_empty() {
            return Err(refusal("vide"));
        }
        if text.chars().count() > NOTE_MAX {
            return Err(refusal("trop_long"));
        }
        Ok(text.to_string())
    }

    /// A judge's or greffier's note on a professional, for its tribunal.
    pub async fn add(db: &DatabaseConnection, caller: &Caller, gestionnaire_id: i32, contenu: &str) -> Result<(), AppError> {
        use sea_orm::QuerySelect;
        let tribunal_id = caller.tribunal_id()?;
        let text = checked_text(contenu)?;
        let tx = crate::db::begin(db).await?;
        // The professional's row locked (PostgreSQL; a SQLite write transaction
        // runs alone) while an identical note just sent is looked for: two
        // sendings of one note, side by side, save it once.
        gestionnaires::Entity::find_by_id(gestionnaire_id)
            .filter(gestionnaires::Column::ListeBlancheId.is_not_null())
            .lock_exclusive()
            .one(&tx)
            .await?
            .ok_or(AppError::Introuvable)?;
        let now = chrono::Utc::now().fixed_offset();
        let already = notes::Entity::find()
            .filter(notes::Column::GestionnaireId.eq(gestionnaire_id))
            .filter(notes::Column::TribunalId.eq(tribunal_id))
            .filter(notes::Column::AuteurUserId.eq(caller.user_id))
            .filter(notes::Column::Contenu.eq(text.as_str()))
            .filter(notes::Column::CreatedAt.gte(now - chrono::Duration::minutes(DOUBLON_MINUTES)))
            .one(&tx)
            .await?;
        if already.is_some() {
            return Ok(());
        }
        notes::ActiveModel {
            gestionnaire_id: Set(gestionnaire_id),
            tribunal_id: Set(tribunal_id),
            auteur_user_id: Set(caller.user_id),
            contenu: Set(text),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The caller's own note of its tribunal, or a refusal.
    async fn own_note(db: &DatabaseConnection, caller: &Caller, tribunal_id: i32, id: i32) -> Result<notes::Model, AppError> {
        let note =
            notes::Entity::find_by_id(id).filter(notes::Column::TribunalId.eq(tribunal_id)).one(db).await?.ok_or(AppError::Introuvable)?;
        if note.auteur_user_id != caller.user_id {
            return Err(AppError::Interdit);
        }
        Ok(note)
    }

    /// Its author changes a note.
    pub async fn edit(db: &DatabaseConnection, caller: &Caller, id: i32, contenu: &str) -> Result<(), AppError> {
        let tribunal_id = caller.tribunal_id()?;
        let text = checked_text(contenu)?;
        let note = own_note(db, caller, tribunal_id, id).await?;
        let mut active: notes::ActiveModel = note.into();
        active.contenu = Set(text);
        active.updated_at = Set(chrono::Utc::now().fixed_offset());
        active.update(db).await?;
        Ok(())
    }

    /// Its author deletes a note.
    pub async fn delete(db: &DatabaseConnection, caller: &Caller, id: i32) -> Result<(), AppError> {
        let tribunal_id = caller.tribunal_id()?;
        let note = own_note(db, caller, tribunal_id, id).await?;
        notes::Entity::delete_by_id(note.id).exec(db).await?;
        Ok(())
    }

    /// The calling judge or greffier and the database, for a note's server
    /// function (the services above take them as arguments).
    pub async fn judge() -> Result<(Caller, DatabaseConnection), AppError> {
        let caller = caller_with_role(&Role::TRIBUNAL).await?;
        Ok((caller, crate::state::app_state()?.db))
    }

    /// Runs a note action, answering a form posted without JavaScript with a
    /// redirect back to the page.
    pub async fn respond(result: Result<(), AppError>) -> Result<(), AppError> {
        let redirected = back_to_page(result.as_ref().err().map(code_of));
        if let (false, Err(err)) = (redirected, &result) {
            err.set_response_status();
        }
        result
    }
}

#[leptos::server(prefix = "/api/fn", endpoint = "ajouter_note")]
pub async fn ajouter_note(gestionnaire_id: i32, contenu: String) -> Result<(), AppError> {
    let result = async {
        let (caller, db) = server::judge().await?;
        server::add(&db, &caller, gestionnaire_id, &contenu).await
    };
    server::respond(result.await).await
}

#[leptos::server(prefix = "/api/fn", endpoint = "modifier_note")]
pub async fn modifier_note(id: i32, contenu: String) -> Result<(), AppError> {
    let result = async {
        let (caller, db) = server::judge().await?;
        server::edit(&db, &caller, id, &contenu).await
    };
    server::respond(result.await).await
}

#[leptos::server(prefix = "/api/fn", endpoint = "supprimer_note")]
pub async fn supprimer_note(id: i32) -> Result<(), AppError> {
    let result = async {
        let (caller, db) = server::judge().await?;
        server::delete(&db, &caller, id).await
    };
    server::respond(result.await).await
}

/// The three note actions, shared by the page (to reload) and its forms.
#[derive(Clone, Copy)]
pub struct NoteActions {
    pub ajouter: ServerAction<AjouterNote>,
    pub modifier: ServerAction<ModifierNote>,
    pub supprimer: ServerAction<SupprimerNote>,
}

impl NoteActions {
    pub fn new() -> Self {
        NoteActions { ajouter: ServerAction::new(), modifier: ServerAction::new(), supprimer: ServerAction::new() }
    }

    /// Changes each time an action completes.
    pub fn version(&self) -> (usize, usize, usize) {
        (self.ajouter.version().get(), self.modifier.version().get(), self.supprimer.version().get())
    }

    /// The error of the last action, if it failed.
    fn error(&self) -> Option<AppError> {
        [self.ajouter.value().get(), self.modifier.value().get(), self.supprimer.value().get()].into_iter().flatten().find_map(Result::err)
    }
}

impl Default for NoteActions {
    fn default() -> Self {
        Self::new()
    }
}

#[component]
pub fn NotesSection(gestionnaire_id: i32, notes: Vec<Note>) -> impl IntoView {
    let actions = use_context::<NoteActions>().unwrap_or_default();
    let query = use_query_map();
    let error = move || actions.error().or_else(|| query.read().get("note_erreur").map(|code| refusal(&code)));
    view! {
        <section id="observations" class="fr-mt-4w" aria-labelledby="titre-observations">
            <h2 id="titre-observations" class="fr-h4">"Observations"</h2>
            <p class="fr-text--sm">"Visibles par les magistrats et greffiers de votre tribunal seulement, jamais par le mandataire."</p>
            {move || error().map(|e| view! {
                <div class="fr-alert fr-alert--error fr-alert--sm fr-mb-2w" role="alert"><p>{e.to_string()}</p></div>
            })}
            {if notes.is_empty() {
                view! { <p>"Aucune observation pour le moment."</p> }.into_any()
            } else {
                view! {
                    <ul class="emjpm-notes">
                        {notes.into_iter().map(|note| view! { <NoteItem note actions/> }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <ActionForm action=actions.ajouter>
                <input type="hidden" name="gestionnaire_id" value=gestionnaire_id/>
                <div class="fr-input-group">
                    <label class="fr-label" for="nouvelle-observation">"Nouvelle observation"
                        <span class="fr-hint-text">{format!("{NOTE_MAX} caractères au plus")}</span></label>
                    <textarea class="fr-input" id="nouvelle-observation" name="contenu" rows="3" required=true maxlength=NOTE_MAX></textarea>
                </div>
                // Not sent twice by a double click (the server saves one anyway).
                <button class="fr-btn fr-btn--secondary" type="submit" disabled=move || actions.ajouter.pending().get()>
                    "Ajouter l'observation"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn NoteItem(note: Note, actions: NoteActions) -> impl IntoView {
    let edit_id = format!("observation-{}", note.id);
    view! {
        <li class="emjpm-note">
            <p class="fr-text--xs fr-mb-1v">{format!("{} — {}{}", note.auteur, note.date, if note.modifiee { " (modifiée)" } else { "" })}</p>
            <p class="emjpm-note__texte">{note.contenu.clone()}</p>
            {note.modifiable.then(|| view! {
                <details class="fr-mb-1w">
                    <summary class="fr-link fr-text--sm">"Modifier ou supprimer"</summary>
                    <ActionForm action=actions.modifier>
                        <input type="hidden" name="id" value=note.id/>
                        <div class="fr-input-group">
                            <label class="fr-label" for=edit_id.clone()>"Texte de l'observation"</label>
                            <textarea class="fr-input" id=edit_id.clone() name="contenu" rows="3" required=true maxlength=NOTE_MAX>{crate::layout::form::textarea_text(&note.contenu)}</textarea>
                        </div>
                        <button class="fr-btn fr-btn--sm fr-mr-1w" type="submit" disabled=move || actions.modifier.pending().get()>"Enregistrer"</button>
                    </ActionForm>
                    <ActionForm action=actions.supprimer>
                        <input type="hidden" name="id" value=note.id/>
                        <button class="fr-btn fr-btn--sm fr-btn--tertiary fr-mt-1w" type="submit" disabled=move || actions.supprimer.pending().get()>
                            "Supprimer l'observation"</button>
                    </ActionForm>
                </details>
            })}
        </li>
    }
}
