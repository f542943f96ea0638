//! Plain HTML forms that work the same with or without JavaScript.
//!
//! A form posts to a handler that answers with a redirect: on success to the
//! page that shows the result, on refusal back to the form's page with what was
//! typed and one message per refused field (`champ=valeur`,
//! `erreur_champ=message`), carried by the refused post's draft
//! ([`super::saisie`], never the address), read here to refill the fields, mark
//! them (DSFR error state, `aria-invalid`, `aria-describedby`) and list the
//! errors in a summary whose links lead to each field.

use crate::rules::vocabulary::Term;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The text inside a `<textarea>`, as the page must carry it. The browser reads
/// a textarea's content as text with character references decoded, but Leptos
/// writes its children unescaped on the server (as for `<script>`): a stored
/// `</textarea>` closed the box and the rest became markup on the page. The
/// server escapes it; in the browser the text is set as a DOM text, unescaped.
pub fn textarea_text(text: &str) -> String {
    if cfg!(feature = "ssr") {
        text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
    } else {
        text.to_string()
    }
}

/// The key carrying a field's error message after a refused post.
pub fn error_key(field: &str) -> String {
    format!("erreur_{field}")
}

/// What a refused post sent back: typed values and messages, read once.
#[derive(Clone, Default)]
pub struct Posted {
    pairs: Vec<(String, String)>,
}

impl Posted {
    /// The current page's query string (codes such as `?erreur=identifiants`,
    /// a link's token) and the draft of a post refused on this page.
    pub fn from_query() -> Posted {
        let query = use_query_map();
        let mut pairs: Vec<(String, String)> = query.read_untracked().clone().into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        pairs.extend(super::saisie::current_pairs());
        Posted { pairs }
    }

    /// The same, with `defaults` for the fields it does not hold (a form
    /// prefilled with what is known; a refused post's draft wins).
    pub fn with_defaults(mut self, defaults: Vec<(String, String)>) -> Posted {
        self.pairs.extend(defaults);
        self
    }

    fn get(&self, key: &str) -> Option<String> {
        self.pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
    }

    /// What was typed in `field` (even left empty) when its form was refused,
    /// else `initial`.
    pub fn value_or(&self, field: &str, initial: impl Into<String>) -> String {
        self.get(field).unwrap_or_else(|| initial.into())
    }

    /// Whether a refused post sent `field` back (a checkbox left unticked is
    /// not sent: its form's text fields tell that the form was posted).
    pub fn has(&self, field: &str) -> bool {
        self.get(field).is_some()
    }

    /// Every value a refused post sent back for `field` (ticked boxes).
    pub fn all(&self, field: &str) -> Vec<String> {
        self.pairs.iter().filter(|(k, _)| k == field).map(|(_, v)| v.clone()).collect()
    }

    pub fn error(&self, field: &str) -> Option<String> {
        self.get(&error_key(field)).filter(|m| !m.is_empty())
    }

    /// A refusal that names no field (not found, conflict…).
    pub fn general_error(&self) -> Option<String> {
        self.get("erreur").filter(|m| !m.is_empty())
    }
}

/// The summary of a refused post: its general message, or the list of refused
/// fields with links to them. `fields` gives the order and the labels.
#[component]
pub fn ErrorSummary(posted: Posted, title: &'static str, fields: &'static [(&'static str, &'static str)]) -> impl IntoView {
    let errors: Vec<(&str, &str, String)> =
        fields.iter().filter_map(|(field, label)| posted.error(field).map(|m| (*field, *label, m))).collect();
    view! {
        {posted.general_error().map(|m| view! {
            <div class="fr-alert fr-alert--error fr-mb-3w" role="alert" id="erreurs" tabindex="-1">
                <h2 class="fr-alert__title">{title}</h2>
                <p>{m}</p>
            </div>
        })}
        {(!errors.is_empty()).then(|| view! {
            <div class="fr-alert fr-alert--error fr-mb-3w" role="alert" id="erreurs" tabindex="-1">
                <h2 class="fr-alert__title">{title}</h2>
                <ul>
                    {errors.into_iter().map(|(field, label, message)| view! {
                        <li><a href=format!("#{field}")>{format!("{label} : {message}")}</a></li>
                    }).collect_view()}
                </ul>
            </div>
        })}
    }
}

/// A labelled input with its hint and, after a refusal, its message.
#[component]
pub fn TextField(
    posted: Posted,
    name: &'static str,
    label: &'static str,
    #[prop(optional)] hint: &'static str,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] required: bool,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional, into)] initial: String,
) -> impl IntoView {
    let message = posted.error(name);
    let invalid = message.is_some();
    let value = posted.value_or(name, initial);
    let described = match (hint.is_empty(), invalid) {
        (true, false) => None,
        (true, true) => Some(format!("{name}-erreur")),
        (false, false) => Some(format!("{name}-aide")),
        (false, true) => Some(format!("{name}-aide {name}-erreur")),
    };
    view! {
        <div class=if invalid { "fr-input-group fr-input-group--error" } else { "fr-input-group" }>
            <label class="fr-label" for=name>{label}{required.then_some(" (obligatoire)")}
                {(!hint.is_empty()).then(|| view! { <span class="fr-hint-text" id=format!("{name}-aide")>{hint}</span> })}
            </label>
            <input class=if invalid { "fr-input fr-input--error" } else { "fr-input" } type=input_type id=name name=name
                value=value required=required inputmode=inputmode autocomplete=autocomplete aria-invalid=invalid.then_some("true") aria-describedby=described/>
            {message.map(|m| view! { <p class="fr-error-text" id=format!("{name}-erreur")>{m}</p> })}
        </div>
    }
}

/// A labelled select over (code, label) options.
#[component]
pub fn SelectField(
    posted: Posted,
    name: &'static str,
    label: &'static str,
    options: Vec<(String, String)>,
    #[prop(optional)] required: bool,
    /// The first, empty option's text ("Choisir" when required).
    #[prop(optional)]
    empty: Option<&'static str>,
    #[prop(optional, into)] initial: String,
) -> impl IntoView {
    let message = posted.error(name);
    let invalid = message.is_some();
    let chosen = posted.value_or(name, initial);
    let empty = empty.unwrap_or(if required { "Choisir" } else { "Non précisé" });
    view! {
        <div class=if invalid { "fr-select-group fr-select-group--error" } else { "fr-select-group" }>
            <label class="fr-label" for=name>{label}{required.then_some(" (obligatoire)")}</label>
            <select class="fr-select" id=name name=name required=required aria-invalid=invalid.then_some("true")
                aria-describedby=invalid.then(|| format!("{name}-erreur"))>
                <option value="" selected=chosen.is_empty()>{empty}</option>
                {options.into_iter().map(|(code, text)| {
                    let selected = chosen == code;
                    view! { <option value=code selected=selected>{text}</option> }
                }).collect_view()}
            </select>
            {message.map(|m| view! { <p class="fr-error-text" id=format!("{name}-erreur")>{m}</p> })}
        </div>
    }
}

/// A vocabulary list as select options.
pub fn options(terms: &[Term]) -> Vec<(String, String)> {
    terms.iter().map(|(code, label)| (code.to_string(), label.to_string())).collect()
}

/// The handler side: the posted fields, trimmed.
#[cfg(feature = "ssr")]
pub struct FormData(pub Vec<(String, String)>);

#[cfg(feature = "ssr")]
impl FormData {
    pub fn text(&self, name: &str) -> String {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim().to_string()).unwrap_or_default()
    }

    /// A field as typed, spaces kept (passwords).
    pub fn raw(&self, name: &str) -> String {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default()
    }

    pub fn optional(&self, name: &str) -> Option<String> {
        Some(self.text(name)).filter(|v| !v.is_empty())
    }

    /// The page to go back to, posted in `retour` (a list as it was filtered):
    /// kept only when it is one of `home`'s pages written as a plain address
    /// (`rules::retour`), so that the redirect built from it never leaves the
    /// site nor fails after a change was saved; else `home`.
    pub fn retour(&self, home: &str) -> String {
        crate::rules::retour::page_under(self.optional("retour").as_deref(), home)
    }

    /// Back to a list as it was filtered (`retour`, under `home`), at the row
    /// acted on (`ancre`): with `?fait=<fait>` after success (an earlier
    /// confirmation or draft mark dropped); after a refusal, its messages as
    /// one general message (a list holds a form per row, whose fields the
    /// summary could not point to).
    pub fn back_to_list(
        &self,
        home: &str,
        ancre: Option<&str>,
        result: Result<(), crate::errors::AppError>,
        fait: &str,
    ) -> axum::response::Response {
        use crate::errors::AppError;
        use axum::response::{IntoResponse, Redirect};
        let retour = self.retour(home);
        match result {
            Ok(()) => {
                let (path, query) = retour.split_once('?').unwrap_or((&retour, ""));
                let code = format!("fait={fait}");
                let mut pairs: Vec<&str> =
                    query.split('&').filter(|p| !p.is_empty() && !p.starts_with("fait=") && !p.starts_with("saisie=")).collect();
                pairs.push(&code);
                let ancre = ancre.map(|a| format!("#{a}")).unwrap_or_default();
                Redirect::to(&format!("{path}?{}{ancre}", pairs.join("&"))).into_response()
            }
            Err(AppError::Champs(champs)) => {
                let message = champs.into_iter().map(|(_, m)| m).collect::<Vec<_>>().join(" ");
                self.refused(&retour, &[], AppError::Conflit(message))
            }
            Err(error) => self.refused(&retour, &[], error),
        }
    }

    /// Every non-empty value posted under `name` (a group of checkboxes).
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v.trim().to_string()).filter(|v| !v.is_empty()).collect()
    }

    pub fn checked(&self, name: &str) -> bool {
        !self.text(name).is_empty()
    }

    /// A number field; what is not a number becomes `invalid` so that the rule's
    /// own range check refuses it with its message.
    pub fn number<T: std::str::FromStr>(&self, name: &str, invalid: T) -> Option<T> {
        self.optional(name).map(|v| v.parse().unwrap_or(invalid))
    }

    /// The redirect back to `page` after a refusal, with its draft: the posted
    /// `fields` as typed (empty ones too, so that they stay empty) and the
    /// messages (one per field, or a general one); the address gets only the
    /// draft's mark and the summary's anchor.
    pub fn refused(&self, page: &str, fields: &[(&str, &str)], error: crate::errors::AppError) -> axum::response::Response {
        use super::saisie::{marked_address, page_of, Draft};
        use crate::errors::AppError;
        use axum::response::{IntoResponse, Redirect};
        if matches!(error, AppError::Interdit | AppError::NonConnecte) {
            return AppError::Interdit.into_response();
        }
        // Every posted value of the listed fields, in the order posted (a group
        // of checkboxes sends one per ticked box).
        let mut pairs: Vec<(String, String)> = self
            .0
            .iter()
            .filter(|(k, _)| fields.iter().any(|(name, _)| name == k))
            .map(|(k, v)| (k.clone(), v.trim().to_string()))
            .collect();
        match error {
            AppError::Champs(champs) => pairs.extend(champs.into_iter().map(|(f, m)| (error_key(&f), m))),
            other => pairs.push(("erreur".into(), other.to_string())),
        }
        let mut response = Redirect::to(&marked_address(page)).into_response();
        response.extensions_mut().insert(Draft { page: page_of(page), pairs });
        response
    }
}

/// A group of checkboxes sharing one `name` (a DSFR fieldset): ticked as
/// posted after a refusal (`submitted`), else as `initial`.
#[component]
pub fn CheckboxGroup(
    posted: Posted,
    name: &'static str,
    legend: &'static str,
    #[prop(optional)] hint: &'static str,
    options: Vec<(String, String)>,
    initial: Vec<String>,
    submitted: bool,
) -> impl IntoView {
    let message = posted.error(name);
    let checked = if submitted { posted.all(name) } else { initial };
    let class = if message.is_some() { "fr-fieldset fr-fieldset--error" } else { "fr-fieldset" };
    view! {
        <fieldset class=class id=name aria-labelledby=format!("{name}-legende {name}-messages")>
            <legend class="fr-fieldset__legend fr-text--regular" id=format!("{name}-legende")>{legend}
                {(!hint.is_empty()).then(|| view! { <span class="fr-hint-text">{hint}</span> })}
            </legend>
            {options.into_iter().map(|(code, text)| {
                let id = format!("{name}-{}", code.replace(|c: char| !c.is_ascii_alphanumeric(), "-"));
                let on = checked.contains(&code);
                view! {
                    <div class="fr-fieldset__element">
                        <div class="fr-checkbox-group">
                            <input type="checkbox" id=id.clone() name=name value=code checked=on/>
                            <label class="fr-label" for=id>{text}</label>
                        </div>
                    </div>
                }
            }).collect_view()}
            <div class="fr-messages-group" id=format!("{name}-messages") aria-live="polite">
                {message.map(|m| view! { <p class="fr-message fr-message--error" id=format!("{name}-erreur")>{m}</p> })}
            </div>
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_textarea_s_text_cannot_close_it() {
        assert_eq!(super::textarea_text("a </textarea><b> & c"), "a &lt;/textarea&gt;&lt;b&gt; &amp; c");
    }
}
