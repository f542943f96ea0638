//! `GET /api/v1/statistiques`: a territory's statistics (directions: their
//! territory; the team: any), as JSON or as the page's exports
//! (`format=csv|xlsx`, `tableau=CODE` for one table).

use super::{FiltresStatistiques, StatistiquesTerritoire, TABLEAUX};
use crate::accounts::guard::Caller;
use crate::errors::AppError;
use crate::extract::ApiQuery;
use crate::search::api::ErreurApi;
use crate::state::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/statistiques", get(statistiques))
}

/// The form of the answer.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct FormatStatistiques {
    /// `json` (par défaut), `csv` ou `xlsx`.
    pub format: Option<String>,
    /// Code d'un tableau (`mesures_par_mois`, `mesures_par_nature`, `mesures_par_champ`, `mesures_par_lieu_de_vie`,
    /// `mesures_par_type_de_mandataire`, `mesures_en_cours_par_mois`, `fins_de_mesure_par_mois`, `reservations`,
    /// `charge_des_mandataires`, `disponibilites_par_departement`, `fraicheur_des_chiffres`,
    /// `mandataires_agrees_par_departement`, `agrements_par_mois`) : ce tableau seulement, en CSV ou XLSX. Sans lui, le CSV
    /// donne tous les tableaux, une valeur par ligne, et le XLSX une feuille par tableau.
    pub tableau: Option<String>,
}

/// The statistics of a territory.
#[utoipa::path(get, path = "/api/v1/statistiques", tag = "statistiques", summary = "Les statistiques d'un territoire",
    description = "Directions : leur territoire seulement (un autre département ou tribunal répond 403) ; administrateurs : tout territoire. Pour une période (par défaut les 12 derniers mois) et des filtres facultatifs : les mesures des tribunaux du territoire (nouvelles par mois, par nature, champ, lieu de vie et type de mandataire ; en cours à la fin de chaque mois ; fins par cause), les réservations et leurs délais, et les mandataires agréés aujourd'hui (charge, fraîcheur des chiffres, nombre et disponibilités par département, nouveaux agréments). Filtrés sur un tribunal, les nombres de moins de 5 sont masqués (null, « moins de 5 » dans les fichiers). `format=csv` ou `format=xlsx` : les mêmes tableaux en fichier.",
    params(FiltresStatistiques, FormatStatistiques),
    responses(
        (status = 200, description = "Les statistiques (JSON), ou le fichier CSV (text/csv) ou XLSX demandé", body = StatistiquesTerritoire),
        (status = 400, description = "Période, filtre, format ou tableau illisible", body = ErreurApi),
        (status = 401, description = "Non connecté", body = ErreurApi),
        (status = 403, description = "Rôle autre que direction ou administrateur, ou territoire d'une autre direction", body = ErreurApi),
    ))]
pub async fn statistiques(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(filtres): ApiQuery<FiltresStatistiques>,
    ApiQuery(forme): ApiQuery<FormatStatistiques>,
) -> Result<Response, AppError> {
    let format = forme.format.as_deref().map(str::trim).filter(|f| !f.is_empty()).unwrap_or("json");
    if !["json", "csv", "xlsx"].contains(&format) {
        return Err(AppError::Invalide(format!("Format inconnu : « {format} » (json, csv ou xlsx).")));
    }
    let tableau = match forme.tableau.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        Some(code) if TABLEAUX.contains(&code) => Some(code.to_string()),
        Some(code) => return Err(AppError::Invalide(format!("Tableau inconnu : « {code} »."))),
        None => None,
    };
    let stats = super::service::statistiques(&state.db, &caller, &filtres).await?;
    let choisis: Vec<&super::TableauStat> = stats.tableaux.iter().filter(|t| tableau.as_ref().is_none_or(|code| &t.code == code)).collect();
    let nom = format!("statistiques-{}-{}-{}", tableau.as_deref().unwrap_or("e-mjpm"), stats.debut, stats.fin);
    let fichier = |contenu: Vec<u8>, type_mime: &'static str, extension: &str| -> Response {
        (
            [
                (header::CONTENT_TYPE, type_mime.to_string()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{nom}.{extension}\"")),
            ],
            contenu,
        )
            .into_response()
    };
    Ok(match format {
        "csv" => {
            let contenu = match choisis.as_slice() {
                [seul] if tableau.is_some() => super::export::csv_tableau(&stats, seul)?,
                _ => super::export::csv_tout(&stats)?,
            };
            fichier(contenu, "text/csv; charset=utf-8", "csv")
        }
        "xlsx" => {
            fichier(super::export::xlsx(&stats, &choisis)?, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")
        }
        _ => Json(stats).into_response(),
    })
}
