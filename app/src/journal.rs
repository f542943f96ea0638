//! `/admin/journal`: the administrators search the audit log — who did what,
//! to what, when, from where — by person, action, target, period and IP
//! address, newest first, 50 a page. `/direction/journal`: a direction the
//! same, restricted to the events whose target lies in its territory (its
//! tribunals' measures, the professionals and liste blanche entries approved
//! there, their antennes, the accounts attached there). Reading it is itself
//! audited.

use crate::errors::AppError;
use crate::layout::form::{Posted, TextField};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

pub const PAR_PAGE: u64 = 50;

/// What a direction reads in its journal: the acts on its territory's measures,
/// professionals, antennes, liste blanche and sign-ups — never anyone's
/// connections, passwords or second factor, nor an IP address.
pub const ACTIONS_DES_DIRECTIONS: [&str; 6] = ["mesure.", "gestionnaire.", "antenne.", "liste_blanche.", "membre.", "inscription."];

/// An action code as people read it ("mesure.cloturee" → "mesure clôturée");
/// an unknown code is shown as stored.
pub fn action_en_clair(action: &str) -> String {
    let phrase = match action {
        "mesure.reservation" => "mesure réservée",
        "mesure.creee" => "mesure enregistrée",
        "mesure.acceptee" => "mesure acceptée",
        "mesure.refusee" => "réservation refusée",
        "mesure.annulee" => "réservation annulée",
        "mesure.modifiee" => "réservation modifiée",
        "mesure.expiree" => "réservation expirée",
        "mesure.etat" => "nouvel état de la mesure",
        "mesure.cloturee" => "mesure clôturée",
        "mesure.reactivee" => "mesure réactivée",
        "gestionnaire.capacite" => "capacité modifiée",
        "gestionnaire.profil" => "profil modifié",
        "gestionnaire.chiffres_confirmes" => "chiffres confirmés",
        "antenne.creation" => "antenne ajoutée",
        "antenne.modification" => "antenne modifiée",
        "antenne.suppression" => "antenne supprimée",
        "antenne.capacite" => "capacité d'antenne modifiée",
        "liste_blanche.creation" => "agrément ajouté",
        "liste_blanche.modification" => "agrément modifié",
        "membre.invitation" => "membre invité",
        "membre.retrait" => "membre retiré",
        "membre.administrateur" => "membre nommé administrateur",
        "inscription.demande" => "inscription demandée",
        "inscription.validation" => "inscription validée",
        "inscription.refus" => "inscription refusée",
        "inscription.expiration" => "inscription expirée",
        "connexion" => "connexion",
        "connexion_echec" => "connexion refusée (mot de passe)",
        "connexion_echec_code" => "connexion refusée (code)",
        "connexion_limitee" => "connexion ralentie",
        "deconnexion" => "déconnexion",
        "deconnexion_partout" => "déconnexion de tous les appareils",
        "mot_de_passe_change" => "mot de passe changé",
        "mot_de_passe_lien_envoye" => "lien de nouveau mot de passe envoyé",
        "mot_de_passe_reinitialise" => "mot de passe réinitialisé",
        "double_authentification.activation" => "double authentification activée",
        "double_authentification.desactivation" => "double authentification désactivée",
        "double_authentification.reinitialisation" => "double authentification réinitialisée",
        "compte_desactive" => "compte désactivé",
        "compte_reactive" => "compte réactivé",
        "compte_desactive_inactivite" => "compte désactivé (inactivité)",
        "compte_rattachement" => "rattachement du compte modifié",
        "compte_territoire" => "territoire du compte modifié",
        "incarnation.debut" => "connexion « en tant que » commencée",
        "incarnation.fin" => "connexion « en tant que » terminée",
        "journal.consultation" => "journal consulté",
        "preferences_courriels" => "préférences de courriels modifiées",
        other => return other.to_string(),
    };
    phrase.to_string()
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LigneJournal {
    /// Paris time, `28/11/2026 09:14:03`.
    pub quand: String,
    /// "Prénom Nom <adresse>", or "système" for the jobs.
    pub acteur: String,
    pub role: Option<String>,
    pub action: String,
    /// `mesure 123`, `user 7`…
    pub cible: Option<String>,
    pub resume: Option<String>,
    pub ip: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PageJournal {
    pub total: u64,
    pub page: u64,
    pub lignes: Vec<LigneJournal>,
}

/// The filters, as typed in the URL.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct FiltresJournal {
    /// Part of the actor's address or name.
    pub acteur: Option<String>,
    /// An action or its beginning (`mesure.`, `connexion`).
    pub action: Option<String>,
    /// Target kind (`mesure`, `user`, `gestionnaire`, `antenne`).
    pub cible: Option<String>,
    /// Target id.
    pub cible_id: Option<String>,
    /// `AAAA-MM-JJ`, Paris days.
    pub du: Option<String>,
    pub au: Option<String>,
    pub ip: Option<String>,
    pub page: Option<String>,
}

#[leptos::server(prefix = "/api/fn", endpoint = "journal_admin")]
pub async fn load_journal(query: String) -> Result<PageJournal, AppError> {
    use crate::rules::roles::Role;
    let caller = crate::accounts::guard::caller_with_role(&Role::PILOTAGE).await?;
    let filtres: FiltresJournal = serde_urlencoded::from_str(query.trim_start_matches('?'))
        .map_err(|_| AppError::Invalide(crate::errors::FILTRES_ILLISIBLES.into()))?;
    let db = crate::state::app_state()?.db;
    server::search(&db, &caller, &filtres).await.inspect_err(AppError::set_response_status)
}

#[cfg(feature = "ssr")]
pub mod server {
    use super::*;
    use crate::accounts::guard::Caller;
    use crate::audit::AuditEvent;
    use crate::db::entities::{audit_events, users};
    use crate::rules::heure::{decalage_paris, minuit_a_paris};
    use sea_orm::sea_query::{Expr, ExprTrait, Query};
    use sea_orm::{ColumnTrait, Condition, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
    use std::collections::HashMap;

    fn text(value: &Option<String>, name: &str) -> Result<Option<String>, AppError> {
        match value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            Some(v) if v.chars().count() > 100 => Err(AppError::Invalide(format!("« {name} » : 100 caractères au plus."))),
            Some(v) => Ok(Some(v.replace(['%', '_'], ""))),
            None => Ok(None),
        }
    }

    fn day(value: &Option<String>, name: &str) -> Result<Option<chrono::NaiveDate>, AppError> {
        match value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            Some(v) => crate::rules::heure::jour_saisi(v).map(Some).ok_or_else(|| {
                AppError::Invalide(format!("« {name} » : « {v} » n'est pas une date ({}).", crate::rules::heure::FORMAT_DATE))
            }),
            None => Ok(None),
        }
    }

    /// Names of the events' targets, by (kind, id): "mesure RG 22/22795",
    /// "compte de Anne Martin", the professional's or the antenne's name.
    async fn target_names(
        db: &DatabaseConnection,
        rows: &[audit_events::Model],
        people: &HashMap<i32, users::Model>,
    ) -> Result<HashMap<(String, String), String>, AppError> {
        use crate::db::entities::{antennes, gestionnaires, mesures};
        let ids_of = |kind: &str| -> Vec<i64> {
            rows.iter()
                .filter(|r| r.target_type.as_deref() == Some(kind))
                .filter_map(|r| r.target_id.as_deref()?.parse::<i64>().ok())
                .collect()
        };
        let mut names = HashMap::new();
        for (id, u) in people {
            names.insert(("user".to_string(), id.to_string()), format!("compte de {} {}", u.prenom, u.nom));
        }
        for m in mesures::Entity::find().filter(mesures::Column::Id.is_in(ids_of("mesure"))).all(db).await? {
            names.insert(("mesure".into(), m.id.to_string()), format!("mesure RG {}", crate::rules::rg::display_rg(&m.numero_rg)));
        }
        let small = |ids: Vec<i64>| ids.into_iter().filter_map(|id| i32::try_from(id).ok()).collect::<Vec<i32>>();
        for g in gestionnaires::Entity::find().filter(gestionnaires::Column::Id.is_in(small(ids_of("gestionnaire")))).all(db).await? {
            let nom = crate::professionals::display_name(&g.kind, &g.nom, g.prenom.as_deref());
            names.insert(("gestionnaire".into(), g.id.to_string()), nom);
        }
        for a in antennes::Entity::find().filter(antennes::Column::Id.is_in(small(ids_of("antenne")))).all(db).await? {
            names.insert(("antenne".into(), a.id.to_string()), a.nom);
        }
        Ok(names)
    }

    /// The events whose target lies in a direction's territory.
    async fn in_territory(db: &DatabaseConnection, caller: &Caller) -> Result<Condition, AppError> {
        use crate::db::entities::{
            antennes, gestionnaire_membres, gestionnaires, greffiers, liste_blanche, magistrats, mesures, tribunaux,
        };
        use sea_orm::sea_query::{Alias, SelectStatement};
        let (territoire, _) = crate::territories::liste_blanche::territory(db, caller).await?;
        let codes: Vec<String> = territoire.iter().map(|d| d.code.clone()).collect();
        let tribunaux_ici = Query::select()
            .column(tribunaux::Column::Id)
            .from(tribunaux::Entity)
            .and_where(tribunaux::Column::DepartementCode.is_in(codes.clone()))
            .to_owned();
        let gestionnaires_ici = Query::select()
            .column(gestionnaires::Column::Id)
            .from(gestionnaires::Entity)
            .cond_where(crate::territories::approvals::approved_in(&codes))
            .to_owned();
        // Targets are stored as text: compare with the ids cast to text.
        let as_text = |table: &str, column: &str, mut select: SelectStatement| {
            select.clear_selects();
            select.expr(Expr::col((Alias::new(table), Alias::new(column))).cast_as(Alias::new("TEXT")));
            select
        };
        let of = |kind: &str, ids: SelectStatement| {
            Condition::all().add(audit_events::Column::TargetType.eq(kind)).add(audit_events::Column::TargetId.in_subquery(ids))
        };
        let mesures_ici = as_text(
            "mesures",
            "id",
            Query::select().from(mesures::Entity).and_where(mesures::Column::TribunalId.in_subquery(tribunaux_ici.clone())).to_owned(),
        );
        let gestionnaires_texte = as_text(
            "gestionnaires",
            "id",
            Query::select().from(gestionnaires::Entity).cond_where(crate::territories::approvals::approved_in(&codes)).to_owned(),
        );
        let entrees_ici = as_text(
            "liste_blanche",
            "id",
            Query::select().from(liste_blanche::Entity).cond_where(crate::territories::approvals::entries_in(&codes)).to_owned(),
        );
        let antennes_ici = as_text(
            "antennes",
            "id",
            Query::select().from(antennes::Entity).and_where(antennes::Column::DepartementCode.is_in(codes.clone())).to_owned(),
        );
        let comptes = |table: &str, select: SelectStatement| of("user", as_text(table, "user_id", select));
        let national = matches!(caller.scope, crate::accounts::guard::Scope::Territoire(crate::accounts::guard::Territoire::National));
        let mut condition = Condition::any()
            .add(of("mesure", mesures_ici))
            .add(of("gestionnaire", gestionnaires_texte))
            .add(of("liste_blanche", entrees_ici))
            .add(of("antenne", antennes_ici))
            .add(comptes(
                "magistrats",
                Query::select()
                    .from(magistrats::Entity)
                    .and_where(magistrats::Column::TribunalId.in_subquery(tribunaux_ici.clone()))
                    .to_owned(),
            ))
            .add(comptes(
                "greffiers",
                Query::select().from(greffiers::Entity).and_where(greffiers::Column::TribunalId.in_subquery(tribunaux_ici)).to_owned(),
            ))
            .add(comptes(
                "gestionnaire_membres",
                Query::select()
                    .from(gestionnaire_membres::Entity)
                    .and_where(gestionnaire_membres::Column::GestionnaireId.in_subquery(gestionnaires_ici))
                    .to_owned(),
            ));
        // (Other directions' agents are not the territory's business.)
        if national {
            condition = Condition::any().add(condition).add(audit_events::Column::TargetType.is_not_null());
        }
        Ok(condition)
    }

    pub async fn search(db: &DatabaseConnection, caller: &Caller, filtres: &FiltresJournal) -> Result<PageJournal, AppError> {
        caller.require(&[crate::rules::roles::Role::Admin, crate::rules::roles::Role::Direction])?;
        let mut condition = Condition::all();
        let direction = caller.role == crate::rules::roles::Role::Direction;
        if direction {
            condition = condition.add(in_territory(db, caller).await?).add(
                ACTIONS_DES_DIRECTIONS
                    .iter()
                    .fold(Condition::any(), |any, prefix| any.add(audit_events::Column::Action.starts_with(*prefix))),
            );
        }
        if let Some(acteur) = text(&filtres.acteur, "acteur")? {
            let columns = [users::Column::Email, users::Column::Nom, users::Column::Prenom];
            condition = condition.add(
                audit_events::Column::ActorUserId.in_subquery(
                    Query::select()
                        .column(users::Column::Id)
                        .from(users::Entity)
                        .cond_where(crate::db::chaque_mot_dans(&acteur, &columns))
                        .to_owned(),
                ),
            );
        }
        if let Some(action) = text(&filtres.action, "action")? {
            condition = condition.add(audit_events::Column::Action.starts_with(action.as_str()));
        }
        if let Some(cible) = text(&filtres.cible, "cible")? {
            condition = condition.add(audit_events::Column::TargetType.eq(cible.as_str()));
        }
        if let Some(id) = text(&filtres.cible_id, "cible_id")? {
            condition = condition.add(audit_events::Column::TargetId.eq(id.as_str()));
        }
        if let Some(ip) = text(&filtres.ip, "ip")? {
            if direction {
                return Err(AppError::Invalide("Les adresses IP ne sont pas consultables par les directions.".into()));
            }
            condition = condition.add(audit_events::Column::Ip.starts_with(ip.as_str()));
        }
        if let Some(du) = day(&filtres.du, "du")? {
            condition = condition.add(audit_events::Column::At.gte(minuit_a_paris(du)));
        }
        if let Some(au) = day(&filtres.au, "au")? {
            condition = condition.add(audit_events::Column::At.lt(minuit_a_paris(au + chrono::Days::new(1))));
        }
        let page = filtres.page.as_deref().and_then(|p| p.parse::<u64>().ok()).unwrap_or(1).clamp(1, 1_000_000);
        let query = audit_events::Entity::find().filter(condition);
        let total = query.clone().count(db).await?;
        let rows = query
            .order_by_desc(audit_events::Column::At)
            .order_by_desc(audit_events::Column::Id)
            .offset((page - 1) * PAR_PAGE)
            .limit(PAR_PAGE)
            .all(db)
            .await?;
        // Targeted accounts are named too ("compte de Anne Martin", not "user 14").
        let target_users =
            rows.iter().filter(|r| r.target_type.as_deref() == Some("user")).filter_map(|r| r.target_id.as_deref()?.parse::<i32>().ok());
        let ids: Vec<i32> = rows.iter().filter_map(|r| r.actor_user_id).chain(target_users).collect();
        let people: HashMap<i32, users::Model> =
            users::Entity::find().filter(users::Column::Id.is_in(ids)).all(db).await?.into_iter().map(|u| (u.id, u)).collect();
        let names: HashMap<i32, String> = people.iter().map(|(id, u)| (*id, format!("{} {} <{}>", u.prenom, u.nom, u.email))).collect();
        let cibles = target_names(db, &rows, &people).await?;
        let lignes = rows
            .into_iter()
            .map(|r| LigneJournal {
                quand: r.at.with_timezone(&decalage_paris(r.at.naive_utc())).format("%d/%m/%Y %H:%M:%S").to_string(),
                acteur: match r.actor_user_id {
                    Some(id) => names.get(&id).cloned().unwrap_or_else(|| format!("compte {id}")),
                    None => "système".into(),
                },
                role: r.role,
                action: action_en_clair(&r.action),
                cible: r.target_type.as_ref().map(|t| {
                    let id = r.target_id.clone().unwrap_or_default();
                    cibles.get(&(t.clone(), id.clone())).cloned().unwrap_or_else(|| format!("{t} {id}"))
                }),
                resume: r.summary,
                // IP addresses are for the administrators only.
                ip: if direction { None } else { r.ip },
            })
            .collect();
        // Reading the log is an act on personal data too.
        AuditEvent::by(caller, "journal.consultation")
            .summary(format!("{}, page {page}", crate::rules::texte::compte(total as i64, "événement", "événements")))
            .record(db)
            .await;
        Ok(PageJournal { total, page, lignes })
    }
}

const FILTRES: [(&str, &str, &str); 7] = [
    ("acteur", "Personne (nom ou adresse)", "search"),
    ("action", "Action (ou son début : mesure., connexion)", "search"),
    ("cible", "Type de cible (mesure, user, gestionnaire, antenne)", "search"),
    ("cible_id", "Identifiant de la cible", "search"),
    ("du", "Depuis le", "date"),
    ("au", "Jusqu'au", "date"),
    ("ip", "Adresse IP", "search"),
];

#[component]
pub fn JournalPage() -> impl IntoView {
    let query = use_query_map();
    let search = move || {
        let pairs: Vec<String> = query
            .read()
            .clone()
            .into_iter()
            .map(|(k, v)| format!("{}={}", crate::layout::kit::urlencode(&k), crate::layout::kit::urlencode(&v)))
            .collect();
        pairs.join("&")
    };
    let data = Resource::new(search, load_journal);
    let value = move |key: &str| query.read_untracked().get(key).unwrap_or_default();
    // The same page for administrators (/admin/journal) and directions (/direction/journal).
    let chemin = leptos_router::hooks::use_location().pathname.get_untracked();
    let direction = chemin.starts_with("/direction");
    let chemin_liens = chemin.clone();
    let posted = Posted::default();
    view! {
        <Title text="Journal d'audit - e-MJPM"/>
        <div class="fr-container fr-py-4w">
            <h1>{if direction { "Journal de mon territoire" } else { "Journal d'audit" }}</h1>
            <p>{if direction {
                "Ce qui a été fait sur les mesures de vos tribunaux, les mandataires agréés, leurs antennes et les inscriptions de votre territoire. Les plus récents d'abord."
            } else {
                "Qui a fait quoi, sur quoi, quand et d'où : connexions, réservations, acceptations, capacités, comptes… Les plus récents d'abord."
            }}</p>
            <form method="get" action=chemin.clone() class="fr-mb-3w">
                <div class="fr-grid-row fr-grid-row--gutters">
                    // IP addresses are for the administrators only.
                    {FILTRES.iter().filter(|(name, _, _)| !(direction && *name == "ip")).map(|(name, label, kind)| view! {
                        <div class="fr-col-12 fr-col-md-4">
                            <TextField posted=posted.clone() name=name label=label input_type=kind initial=value(name)/>
                        </div>
                    }).collect_view()}
                    <div class="fr-col-12 fr-col-md-4 emjpm-filtrer">
                        <button class="fr-btn" type="submit">"Chercher"</button>
                    </div>
                </div>
            </form>
            <Suspense fallback=|| view! { <p>"Chargement…"</p> }>
                {move || {
                    let chemin = chemin_liens.clone();
                    Suspend::new(async move {
                    match data.await {
                        Ok(page) => view! { <Evenements page chemin direction/> }.into_any(),
                        Err(error) => view! { <crate::layout::kit::ErrorAlert error/> }.into_any(),
                    }
                    })
                }}
            </Suspense>
        </div>
    }
}

#[component]
fn Evenements(page: PageJournal, chemin: String, direction: bool) -> impl IntoView {
    let pages = page.total.div_ceil(PAR_PAGE).max(1);
    let query = use_query_map();
    let link = move |n: u64| {
        let mut pairs: Vec<String> = query
            .read_untracked()
            .clone()
            .into_iter()
            .filter(|(k, _)| k != "page")
            .map(|(k, v)| format!("{}={}", crate::layout::kit::urlencode(&k), crate::layout::kit::urlencode(&v)))
            .collect();
        pairs.push(format!("page={n}"));
        format!("{chemin}?{}", pairs.join("&"))
    };
    view! {
        <p role="status">{match page.total {
            0 => "Aucun événement ne correspond.".to_string(),
            1 => "1 événement".to_string(),
            n => format!("{} événements — page {} sur {pages}", crate::rules::texte::format_count(n as i64), page.page),
        }}</p>
        <div class="fr-table fr-table--no-caption"><div class="fr-table__wrapper"><div class="fr-table__container" tabindex="0"><div class="fr-table__content">
            <table>
                <caption>"Événements du journal d'audit"</caption>
                <thead><tr><th scope="col">"Quand"</th><th scope="col">"Qui"</th><th scope="col">"Action"</th>
                    <th scope="col">"Cible"</th><th scope="col">"Détail"</th>
                    {(!direction).then(|| view! { <th scope="col">"IP"</th> })}</tr></thead>
                <tbody>
                    {page.lignes.into_iter().map(|l| view! {
                        <tr>
                            <td>{l.quand}</td>
                            <td>{l.acteur}{l.role.map(|r| format!(" ({r})"))}</td>
                            <td>{l.action}</td>
                            <td>{l.cible.unwrap_or_default()}</td>
                            <td>{l.resume.unwrap_or_default()}</td>
                            {(!direction).then(|| view! { <td>{l.ip.clone().unwrap_or_default()}</td> })}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div></div></div></div>
        {(pages > 1).then(|| view! {
            <nav class="fr-pagination" role="navigation" aria-label="Pagination">
                <ul class="fr-pagination__list">
                    {(page.page > 1).then(|| view! { <li><a class="fr-pagination__link fr-pagination__link--prev" href=link(page.page - 1)>"Page précédente"</a></li> })}
                    {(page.page < pages).then(|| view! { <li><a class="fr-pagination__link fr-pagination__link--next" href=link(page.page + 1)>"Page suivante"</a></li> })}
                </ul>
            </nav>
        })}
    }
}
