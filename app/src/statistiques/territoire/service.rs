//! Computing a territory's statistics: one query per figure, each counting
//! in the database (months as `SUM(CASE …)` columns over Paris-time bounds,
//! categories with `GROUP BY`); only the approved professionals (a few
//! thousand rows nationally) and the acceptance delays (for the quantiles)
//! are read into memory.

use super::{ChoixStatistiques, Essentiel, FiltresStatistiques, LigneStat, StatistiquesTerritoire, TableauStat};
use crate::accounts::guard::{Caller, Scope};
use crate::db::entities::{departements, tribunaux};
use crate::db::Parametres;
use crate::errors::AppError;
use crate::rules::heure::{a_paris, fin_du_jour_a_paris, minuit_a_paris};
use crate::rules::roles::Role;
use crate::rules::statistiques::{mois_de_la_periode, periode, pourcentage, public, quantile, Charge};
use crate::rules::vocabulary::{label, Term, CAUSES_SORTIE, CHAMPS, LIEUX_DE_VIE, NATURES, TYPES_GESTIONNAIRE};
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, QueryResult, Statement};
use std::collections::{BTreeMap, HashMap};

/// Who and what the figures cover, decided from the session and the filters.
struct Perimetre {
    libelle: String,
    /// The départements, or `None` for the whole of France (no condition).
    departements: Option<Vec<String>>,
    tribunal: Option<i32>,
    type_mandataire: Option<String>,
    /// Counts under 5 hidden (the figures of one tribunal).
    masque: bool,
    debut: NaiveDate,
    fin: NaiveDate,
}

impl Perimetre {
    /// A count as shown: hidden under 5 when the scope is below the département.
    fn nombre(&self, n: i64) -> Option<i64> {
        if self.masque {
            public(n)
        } else {
            Some(n)
        }
    }

    fn debut_instant(&self) -> DateTime<FixedOffset> {
        minuit_a_paris(self.debut)
    }

    fn fin_instant(&self) -> DateTime<FixedOffset> {
        fin_du_jour_a_paris(self.fin)
    }

    /// The months of the period: label, first and last day (within the
    /// period), and the Paris-time instants bounding them (end excluded).
    fn mois(&self) -> Vec<Mois> {
        let premiers = mois_de_la_periode(self.debut, self.fin);
        premiers
            .iter()
            .map(|premier| {
                let suivant = premier.checked_add_months(chrono::Months::new(1)).unwrap_or(*premier);
                let debut = (*premier).max(self.debut);
                let fin = suivant.pred_opt().unwrap_or(suivant).min(self.fin);
                Mois { libelle: mois_en_clair(*premier), fin, de: minuit_a_paris(debut), a: fin_du_jour_a_paris(fin), debut_jour: debut }
            })
            .collect()
    }

    /// The measures' scope: the joins and the conditions (`m` the measure,
    /// `t` its tribunal, `g` its professional), binding their values.
    fn mesures(&self, p: &mut Parametres) -> (String, String) {
        let mut joins = String::new();
        let mut conditions = vec!["1 = 1".to_string()];
        if let Some(codes) = &self.departements {
            joins.push_str(" JOIN tribunaux t ON t.id = m.tribunal_id");
            let liste: Vec<String> = codes.iter().map(|c| p.lier(c.clone())).collect();
            conditions.push(format!("t.departement_code IN ({})", liste.join(", ")));
        }
        if let Some(tribunal) = self.tribunal {
            conditions.push(format!("m.tribunal_id = {}", p.lier(tribunal)));
        }
        if let Some(kind) = &self.type_mandataire {
            joins.push_str(" JOIN gestionnaires g ON g.id = m.gestionnaire_id");
            conditions.push(format!("g.type = {}", p.lier(kind.clone())));
        }
        (joins, conditions.join(" AND "))
    }
}

struct Mois {
    libelle: String,
    debut_jour: NaiveDate,
    fin: NaiveDate,
    de: DateTime<FixedOffset>,
    a: DateTime<FixedOffset>,
}

/// "janvier 2026" (the public page's month names).
fn mois_en_clair(premier: NaiveDate) -> String {
    crate::statistiques::mois_en_clair(&premier.format("%Y-%m").to_string())
}

/// The scope the caller may see with these filters: a direction its
/// territory (a département or tribunal outside it, or unknown, is 403 — a
/// direction does not learn what exists elsewhere), the team anything.
async fn perimetre(
    db: &DatabaseConnection,
    caller: &Caller,
    filtres: &FiltresStatistiques,
    today: NaiveDate,
) -> Result<Perimetre, AppError> {
    caller.require(&Role::PILOTAGE)?;
    let (debut, fin) = periode(filtres.debut.as_deref(), filtres.fin.as_deref(), today)?;
    let (territoire, _) = crate::territories::liste_blanche::territory(db, caller).await?;
    let national = matches!(caller.scope, Scope::Admin | Scope::Territoire(crate::accounts::guard::Territoire::National));
    let direction = matches!(caller.scope, Scope::Territoire(_));
    let mut libelle = crate::territories::liste_blanche::territoire_en_clair(db, caller, &territoire).await?;
    let mut departements = (!national).then(|| territoire.iter().map(|d| d.code.clone()).collect::<Vec<_>>());
    if let Some(code) = filtres.departement.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        let Some(dep) = territoire.iter().find(|d| d.code == code) else {
            return Err(if direction { AppError::Interdit } else { AppError::Invalide(format!("Département inconnu : « {code} ».")) });
        };
        libelle = format!("Département {} ({})", dep.nom, dep.code);
        departements = Some(vec![dep.code.clone()]);
    }
    let mut tribunal = None;
    let mut masque = false;
    if let Some(text) = filtres.tribunal.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let id = text
            .parse::<i32>()
            .map_err(|_| AppError::Invalide(format!("Paramètre « tribunal » : « {text} » n'est pas un numéro de tribunal.")))?;
        let found = tribunaux::Entity::find_by_id(id).one(db).await?;
        let dedans = found.as_ref().filter(|t| departements.as_ref().is_none_or(|codes| codes.contains(&t.departement_code)));
        let Some(t) = dedans else {
            return Err(if direction || found.is_some() { AppError::Interdit } else { AppError::Introuvable });
        };
        libelle = format!("{} — {}", libelle, t.nom);
        tribunal = Some(id);
        masque = true;
    }
    let type_mandataire = match filtres.type_mandataire.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        None => None,
        Some(kind) if label(&TYPES_GESTIONNAIRE, kind).is_some() => Some(kind.to_string()),
        Some(kind) => return Err(AppError::Invalide(format!("Type de mandataire inconnu : « {kind} » (individuel, prepose ou service)."))),
    };
    if let Some(kind) = &type_mandataire {
        libelle = format!("{libelle} — {}", label(&TYPES_GESTIONNAIRE, kind).unwrap_or(kind).to_lowercase());
    }
    Ok(Perimetre { libelle, departements, tribunal, type_mandataire, masque, debut, fin })
}

/// The choices of the page's filters: the caller's départements and their tribunals.
pub async fn choix(db: &DatabaseConnection, caller: &Caller) -> Result<ChoixStatistiques, AppError> {
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};
    caller.require(&Role::PILOTAGE)?;
    let (territoire, _) = crate::territories::liste_blanche::territory(db, caller).await?;
    let codes: Vec<String> = territoire.iter().map(|d| d.code.clone()).collect();
    let tribunaux = tribunaux::Entity::find()
        .filter(tribunaux::Column::DepartementCode.is_in(codes))
        .order_by_asc(tribunaux::Column::Nom)
        .all(db)
        .await?;
    Ok(ChoixStatistiques {
        aujourdhui: a_paris(&Utc::now()).format("%Y-%m-%d").to_string(),
        departements: territoire.into_iter().map(|d| (d.code.clone(), format!("{} — {}", d.code, d.nom))).collect(),
        tribunaux: tribunaux.into_iter().map(|t| (t.id.to_string(), format!("{} ({})", t.nom, t.departement_code))).collect(),
    })
}

/// One count per month, as columns `<prefixe>0`, `<prefixe>1`…: the rows
/// meeting `condition` (built for each month, binding its values).
fn colonnes_par_mois(
    mois: &[Mois],
    p: &mut Parametres,
    prefixe: &str,
    condition: impl Fn(&mut Parametres, &Mois) -> String,
) -> Vec<String> {
    mois.iter().enumerate().map(|(i, m)| format!("SUM(CASE WHEN {} THEN 1 ELSE 0 END) AS {prefixe}{i}", condition(p, m))).collect()
}

/// The counts of [`colonnes_par_mois`] read back, month by month (0 without a row).
fn par_mois(row: Option<&QueryResult>, mois: &[Mois], prefixe: &str) -> Result<Vec<i64>, AppError> {
    (0..mois.len()).map(|i| row.map_or(Ok(0), |row| entier(row, &format!("{prefixe}{i}")))).collect()
}

async fn lignes(db: &impl ConnectionTrait, sql: String, p: Parametres) -> Result<Vec<QueryResult>, AppError> {
    Ok(db.query_all_raw(Statement::from_sql_and_values(db.get_database_backend(), sql, p.values)).await?)
}

fn entier(row: &QueryResult, colonne: &str) -> Result<i64, AppError> {
    Ok(row.try_get::<Option<i64>>("", colonne)?.unwrap_or(0))
}

/// The statistics of the caller's territory for these filters.
#[tracing::instrument(skip_all, err)]
pub async fn statistiques(
    db: &DatabaseConnection,
    caller: &Caller,
    filtres: &FiltresStatistiques,
) -> Result<StatistiquesTerritoire, AppError> {
    let now = Utc::now();
    let today = a_paris(&now).date_naive();
    let perimetre = perimetre(db, caller, filtres, today).await?;
    if matches!(caller.scope, Scope::Territoire(_)) {
        // A direction's visit of its figures is its useful action (adoption funnel).
        crate::usage::record_quietly(db, caller, crate::usage::Action::VisiteChiffres).await;
    }
    let mois = perimetre.mois();
    let mut tableaux = Vec::new();
    let (reservees, enregistrees) = mesures_par_mois(db, &perimetre, &mois, &mut tableaux).await?;
    for (code, titre, colonne, vocabulaire) in [
        ("mesures_par_nature", "Nouvelles mesures par nature", "m.nature", &NATURES[..]),
        ("mesures_par_champ", "Nouvelles mesures par champ", "m.champ", &CHAMPS[..]),
        ("mesures_par_lieu_de_vie", "Nouvelles mesures par lieu de vie", "m.lieu_vie", &LIEUX_DE_VIE[..]),
        ("mesures_par_type_de_mandataire", "Nouvelles mesures par type de mandataire", "gm.type", &TYPES_GESTIONNAIRE[..]),
    ] {
        tableaux.push(nouvelles_par(db, &perimetre, code, titre, colonne, vocabulaire).await?);
    }
    let en_cours = en_cours_par_mois(db, &perimetre, &mois, &mut tableaux).await?;
    tableaux.push(fins_par_mois(db, &perimetre, &mois).await?);
    let delai_median_minutes = reservations(db, &perimetre, &mut tableaux).await?;
    let part_chiffres_anciens = mandataires(db, &perimetre, &mois, now, &mut tableaux).await?;
    Ok(StatistiquesTerritoire {
        territoire: perimetre.libelle.clone(),
        debut: perimetre.debut.format("%Y-%m-%d").to_string(),
        fin: perimetre.fin.format("%Y-%m-%d").to_string(),
        petits_nombres_masques: perimetre.masque,
        essentiel: Essentiel { reservees, enregistrees, en_cours, delai_median_minutes, part_chiffres_anciens },
        tableaux,
    })
}

/// The new measures of each month: reserved through the service (by the
/// day of their reservation) and recorded directly by the professionals (by
/// the day they were recorded). One query.
async fn mesures_par_mois(
    db: &DatabaseConnection,
    perimetre: &Perimetre,
    mois: &[Mois],
    tableaux: &mut Vec<TableauStat>,
) -> Result<(Option<i64>, Option<i64>), AppError> {
    let mut p = Parametres::new(db.get_database_backend());
    let (joins, scope) = perimetre.mesures(&mut p);
    let mut colonnes = colonnes_par_mois(mois, &mut p, "r", |p, m| {
        format!("m.date_reservation >= {} AND m.date_reservation < {}", p.lier(m.de), p.lier(m.a))
    });
    colonnes.extend(colonnes_par_mois(mois, &mut p, "d", |p, m| {
        format!("m.date_reservation IS NULL AND m.created_at >= {} AND m.created_at < {}", p.lier(m.de), p.lier(m.a))
    }));
    let nouvelles = nouvelles(&mut p, perimetre);
    let sql = format!("SELECT {} FROM mesures m{joins} WHERE {scope} AND {nouvelles}", colonnes.join(", "));
    let row = lignes(db, sql, p).await?.into_iter().next();
    let (reservees, directes) = (par_mois(row.as_ref(), mois, "r")?, par_mois(row.as_ref(), mois, "d")?);
    let lignes_mois = mois
        .iter()
        .zip(reservees.iter().zip(&directes))
        .map(|(m, (r, d))| LigneStat { libelle: m.libelle.clone(), valeurs: vec![perimetre.nombre(*r), perimetre.nombre(*d)] })
        .collect();
    let (total_r, total_d): (i64, i64) = (reservees.iter().sum(), directes.iter().sum());
    tableaux.push(TableauStat {
        code: "mesures_par_mois".into(),
        titre: "Nouvelles mesures par mois".into(),
        explication: "Mesures réservées par les tribunaux du territoire au moyen du service (au jour de la réservation), et mesures \
                      enregistrées directement par les mandataires (au jour de leur enregistrement)."
            .into(),
        colonnes: vec!["Mois".into(), "Réservées par le service".into(), "Enregistrées directement".into()],
        lignes: lignes_mois,
        graphique: true,
    });
    Ok((perimetre.nombre(total_r), perimetre.nombre(total_d)))
}

/// The condition "a new measure of the period": reserved in it, or recorded
/// directly in it.
fn nouvelles(p: &mut Parametres, perimetre: &Perimetre) -> String {
    let (de, a) = (p.lier(perimetre.debut_instant()), p.lier(perimetre.fin_instant()));
    format!(
        "((m.date_reservation >= {de} AND m.date_reservation < {a}) \
         OR (m.date_reservation IS NULL AND m.created_at >= {de} AND m.created_at < {a}))"
    )
}

/// The period's new measures counted by one of their columns, in the
/// vocabulary's order ("Non renseigné" last when some have none).
async fn nouvelles_par(
    db: &DatabaseConnection,
    perimetre: &Perimetre,
    code: &str,
    titre: &str,
    colonne: &str,
    vocabulaire: &[Term],
) -> Result<TableauStat, AppError> {
    let mut p = Parametres::new(db.get_database_backend());
    let (joins, scope) = perimetre.mesures(&mut p);
    let nouvelles = nouvelles(&mut p, perimetre);
    // The professional's kind is read through its row (`gm`), only for that table.
    let par_type = if colonne.starts_with("gm.") { " JOIN gestionnaires gm ON gm.id = m.gestionnaire_id" } else { "" };
    let sql = format!(
        "SELECT {colonne} AS valeur, COUNT(*) AS n FROM mesures m{joins}{par_type} WHERE {scope} AND {nouvelles} GROUP BY {colonne}"
    );
    let mut comptes: HashMap<Option<String>, i64> = HashMap::new();
    for row in lignes(db, sql, p).await? {
        *comptes.entry(row.try_get::<Option<String>>("", "valeur")?).or_default() += entier(&row, "n")?;
    }
    let mut out: Vec<LigneStat> = vocabulaire
        .iter()
        .map(|(code, libelle)| LigneStat {
            libelle: libelle.to_string(),
            valeurs: vec![perimetre.nombre(comptes.remove(&Some(code.to_string())).unwrap_or(0))],
        })
        .collect();
    // Codes outside the vocabulary (older data) and measures without the value.
    let autres: i64 = comptes.values().sum();
    if autres > 0 {
        out.push(LigneStat { libelle: "Non renseigné".into(), valeurs: vec![perimetre.nombre(autres)] });
    }
    Ok(TableauStat {
        code: code.into(),
        titre: titre.into(),
        explication: "Mesures réservées par le service ou enregistrées directement sur la période. Le lieu de vie n'est connu \
                      qu'une fois la mesure acceptée."
            .into(),
        colonnes: vec![titre.rsplit(" par ").next().map(crate::rules::texte::capitalise).unwrap_or_default(), "Mesures".into()],
        lignes: out,
        graphique: false,
    })
}

/// The measures in progress at the end of each month (or of the period):
/// named on or before that day and not ended by then. One query.
async fn en_cours_par_mois(
    db: &DatabaseConnection,
    perimetre: &Perimetre,
    mois: &[Mois],
    tableaux: &mut Vec<TableauStat>,
) -> Result<Option<i64>, AppError> {
    let mut p = Parametres::new(db.get_database_backend());
    let (joins, scope) = perimetre.mesures(&mut p);
    let colonnes = colonnes_par_mois(mois, &mut p, "s", |p, m| {
        let fin = p.lier(m.fin);
        format!("m.date_nomination <= {fin} AND (m.date_fin IS NULL OR m.date_fin > {fin})")
    });
    let sql = format!(
        "SELECT {} FROM mesures m{joins} WHERE {scope} AND m.statut IN ('en_cours', 'eteinte') AND m.date_nomination IS NOT NULL",
        colonnes.join(", ")
    );
    let row = lignes(db, sql, p).await?.into_iter().next();
    let stock = par_mois(row.as_ref(), mois, "s")?;
    let dernier = stock.last().copied().unwrap_or(0);
    let out = mois
        .iter()
        .zip(stock)
        .map(|(m, n)| LigneStat { libelle: format!("{} (au {})", m.libelle, m.fin.format("%d/%m/%Y")), valeurs: vec![perimetre.nombre(n)] })
        .collect();
    tableaux.push(TableauStat {
        code: "mesures_en_cours_par_mois".into(),
        titre: "Mesures en cours à la fin de chaque mois".into(),
        explication: "Mesures dont la date de nomination est passée et qui n'avaient pas pris fin ce jour-là.".into(),
        colonnes: vec!["Mois".into(), "Mesures en cours".into()],
        lignes: out,
        graphique: true,
    });
    Ok(perimetre.nombre(dernier))
}

/// The measures that ended in each month, by cause. One query.
async fn fins_par_mois(db: &DatabaseConnection, perimetre: &Perimetre, mois: &[Mois]) -> Result<TableauStat, AppError> {
    let mut p = Parametres::new(db.get_database_backend());
    let (joins, scope) = perimetre.mesures(&mut p);
    let colonnes =
        colonnes_par_mois(mois, &mut p, "f", |p, m| format!("m.date_fin >= {} AND m.date_fin <= {}", p.lier(m.debut_jour), p.lier(m.fin)));
    let (de, a) = (p.lier(perimetre.debut), p.lier(perimetre.fin));
    // A reservation cancelled or expired also ends, without a date de nomination: not a closing.
    let sql = format!(
        "SELECT m.cause_sortie AS cause, {} FROM mesures m{joins} WHERE {scope} AND m.statut = 'eteinte' \
         AND m.date_nomination IS NOT NULL AND m.date_fin >= {de} AND m.date_fin <= {a} GROUP BY m.cause_sortie",
        colonnes.join(", ")
    );
    let mut par_cause: HashMap<Option<String>, Vec<i64>> = HashMap::new();
    for row in lignes(db, sql, p).await? {
        let cause = row.try_get::<Option<String>>("", "cause")?.filter(|c| label(&CAUSES_SORTIE, c).is_some());
        let compte = par_cause.entry(cause).or_insert_with(|| vec![0; mois.len()]);
        for (n, de_ce_mois) in compte.iter_mut().zip(par_mois(Some(&row), mois, "f")?) {
            *n += de_ce_mois;
        }
    }
    let mut causes: Vec<(Option<String>, String)> = CAUSES_SORTIE.iter().map(|(c, l)| (Some(c.to_string()), l.to_string())).collect();
    causes.push((None, "Cause non précisée".into()));
    let mut colonnes: Vec<String> = vec!["Mois".into()];
    colonnes.extend(causes.iter().map(|(_, l)| l.clone()));
    colonnes.push("Total".into());
    let out = mois
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let mut valeurs: Vec<i64> = causes.iter().map(|(c, _)| par_cause.get(c).map_or(0, |v| v[i])).collect();
            valeurs.push(valeurs.iter().sum());
            LigneStat { libelle: m.libelle.clone(), valeurs: valeurs.into_iter().map(|n| perimetre.nombre(n)).collect() }
        })
        .collect();
    Ok(TableauStat {
        code: "fins_de_mesure_par_mois".into(),
        titre: "Fins de mesure par mois et par cause".into(),
        explication: "Mesures qui ont pris fin dans le mois (date de fin), par cause de sortie.".into(),
        colonnes,
        lignes: out,
        graphique: false,
    })
}

/// The reservations of the period and what became of them: one query for
/// the counts, one for the acceptance delays (their quantiles). Returns the
/// median delay.
async fn reservations(db: &DatabaseConnection, perimetre: &Perimetre, tableaux: &mut Vec<TableauStat>) -> Result<Option<i64>, AppError> {
    let backend = db.get_database_backend();
    let mut p = Parametres::new(backend);
    let (joins, scope) = perimetre.mesures(&mut p);
    let (de, a) = (p.lier(perimetre.debut_instant()), p.lier(perimetre.fin_instant()));
    let rouverte = p.lier(crate::measures::reopening::RESERVATION_ROUVRANTE);
    let sql = format!(
        "SELECT e.action, COUNT(*) AS n, SUM(CASE WHEN m.urgent THEN 1 ELSE 0 END) AS urgentes, \
                SUM(CASE WHEN e.details = {rouverte} THEN 1 ELSE 0 END) AS rouvertes \
         FROM mesure_evenements e JOIN mesures m ON m.id = e.mesure_id{joins} \
         WHERE {scope} AND e.at >= {de} AND e.at < {a} AND e.action IN ('reservee', 'acceptee', 'refusee', 'annulee', 'expiree') \
         GROUP BY e.action"
    );
    let mut n: HashMap<String, (i64, i64, i64)> = HashMap::new();
    for row in lignes(db, sql, p).await? {
        n.insert(row.try_get("", "action")?, (entier(&row, "n")?, entier(&row, "urgentes")?, entier(&row, "rouvertes")?));
    }
    let compte = |action: &str| n.get(action).map_or(0, |c| c.0);
    let (reservees, urgentes, rouvertes) = n.get("reservee").copied().unwrap_or_default();

    let mut p = Parametres::new(backend);
    let (joins, scope) = perimetre.mesures(&mut p);
    let (de, a) = (p.lier(perimetre.debut_instant()), p.lier(perimetre.fin_instant()));
    let sql = format!(
        "SELECT m.date_reservation AS reservee, e.at AS acceptee FROM mesure_evenements e JOIN mesures m ON m.id = e.mesure_id{joins} \
         WHERE {scope} AND e.action = 'acceptee' AND e.at >= {de} AND e.at < {a} AND m.date_reservation IS NOT NULL"
    );
    let mut delais = Vec::new();
    for row in lignes(db, sql, p).await? {
        let (reservee, acceptee): (DateTime<FixedOffset>, DateTime<FixedOffset>) =
            (row.try_get("", "reservee")?, row.try_get("", "acceptee")?);
        if acceptee >= reservee {
            delais.push((acceptee - reservee).num_minutes());
        }
    }
    // Quantiles of fewer than 5 delays would give one person's delay away.
    let assez = perimetre.nombre(delais.len() as i64).is_some();
    let median = assez.then(|| quantile(&mut delais, 0.5)).flatten();
    let neuvieme = assez.then(|| quantile(&mut delais, 0.9)).flatten();
    let heures = |minutes: Option<i64>| minutes.map(|m| (m + 30) / 60);
    let part_urgentes = perimetre.nombre(reservees).and_then(|_| pourcentage(urgentes, reservees));
    let ligne = |libelle: &str, valeur: Option<i64>| LigneStat { libelle: libelle.into(), valeurs: vec![valeur] };
    tableaux.push(TableauStat {
        code: "reservations".into(),
        titre: "Réservations et délais".into(),
        explication: "Ce qui s'est passé sur la période : réservations faites, acceptées, refusées, annulées par le tribunal ou \
                      expirées sans réponse ; délais de la réservation à l'acceptation, pour les acceptations de la période."
            .into(),
        colonnes: vec!["Indicateur".into(), "Valeur".into()],
        lignes: vec![
            ligne("Réservations", perimetre.nombre(reservees)),
            ligne("dont urgentes (%)", part_urgentes),
            ligne("dont mesures éteintes rouvertes", perimetre.nombre(rouvertes)),
            ligne("Acceptations", perimetre.nombre(compte("acceptee"))),
            ligne("Refus du mandataire", perimetre.nombre(compte("refusee"))),
            ligne("Annulations par le tribunal", perimetre.nombre(compte("annulee"))),
            ligne("Expirations sans réponse", perimetre.nombre(compte("expiree"))),
            ligne("Délai médian jusqu'à l'acceptation (heures)", heures(median)),
            ligne("Délai dans 90 % des cas au plus (heures)", heures(neuvieme)),
        ],
        graphique: false,
    });
    Ok(median)
}

/// The professionals approved in the territory today (one query, with the
/// approvals' départements) and the approvals of the period (one query):
/// their load, the freshness of their figures, their number and
/// availability by département. Returns the share of stale figures.
async fn mandataires(
    db: &DatabaseConnection,
    perimetre: &Perimetre,
    mois: &[Mois],
    now: DateTime<Utc>,
    tableaux: &mut Vec<TableauStat>,
) -> Result<Option<i64>, AppError> {
    let backend = db.get_database_backend();
    let approuves = crate::territories::approvals::approved_departements(db).await?;
    let dans = |entree: i32| -> Vec<String> {
        let codes = approuves.get(&entree).cloned().unwrap_or_default();
        match &perimetre.departements {
            None => codes,
            Some(territoire) => codes.into_iter().filter(|c| territoire.contains(c)).collect(),
        }
    };
    let mut p = Parametres::new(backend);
    let filtre_type = perimetre.type_mandataire.clone().map(|k| format!(" AND g.type = {}", p.lier(k))).unwrap_or_default();
    let sql = format!(
        "SELECT g.liste_blanche_id AS entree, g.type AS kind, g.suspendu, g.mesures_max, g.en_cours, g.en_attente, g.derniere_mise_a_jour \
         FROM gestionnaires g WHERE g.liste_blanche_id IS NOT NULL{filtre_type}"
    );
    let anciens_avant = (now - chrono::Duration::days(crate::rules::capacity::JOURS_AVANT_OBSOLESCENCE)).fixed_offset();
    let mut charge: BTreeMap<usize, i64> = BTreeMap::new();
    let (mut actifs, mut anciens) = (0i64, 0i64);
    // By département: individuels, préposés, services, mesures souhaitées, en cours, places libres.
    let mut par_dep: BTreeMap<String, [i64; 6]> = BTreeMap::new();
    for row in lignes(db, sql, p).await? {
        let codes = dans(row.try_get("", "entree")?);
        if codes.is_empty() {
            continue;
        }
        let kind: String = row.try_get("", "kind")?;
        let suspendu: bool = row.try_get("", "suspendu")?;
        let (max, en_cours, en_attente): (i32, i32, i32) =
            (row.try_get("", "mesures_max")?, row.try_get("", "en_cours")?, row.try_get("", "en_attente")?);
        let mise_a_jour: DateTime<FixedOffset> = row.try_get("", "derniere_mise_a_jour")?;
        let tranche = Charge::de(i64::from(en_cours), i64::from(max), suspendu);
        *charge.entry(Charge::TOUTES.iter().position(|c| *c == tranche).unwrap_or(0)).or_default() += 1;
        if !suspendu {
            actifs += 1;
            if mise_a_jour < anciens_avant {
                anciens += 1;
            }
        }
        let libres = crate::rules::capacity::disponibles(max, en_cours, en_attente, suspendu);
        for code in codes {
            let ligne = par_dep.entry(code).or_default();
            match kind.as_str() {
                "individuel" => ligne[0] += 1,
                "prepose" => ligne[1] += 1,
                _ => ligne[2] += 1,
            }
            if !suspendu {
                ligne[3] += i64::from(max);
            }
            ligne[4] += i64::from(en_cours);
            ligne[5] += i64::from(libres.max(0));
        }
    }
    let noms: HashMap<String, String> = departements::Entity::find().all(db).await?.into_iter().map(|d| (d.code, d.nom)).collect();
    let departement = |code: &str| format!("{code} — {}", noms.get(code).cloned().unwrap_or_default());

    tableaux.push(TableauStat {
        code: "charge_des_mandataires".into(),
        titre: "Charge des mandataires agréés".into(),
        explication: "Aujourd'hui, les mandataires agréés dans le territoire selon leurs mesures en cours rapportées aux mesures \
                      qu'ils souhaitent avoir (leur capacité déclarée)."
            .into(),
        colonnes: vec!["Charge".into(), "Mandataires".into()],
        lignes: Charge::TOUTES
            .iter()
            .enumerate()
            .map(|(i, c)| LigneStat { libelle: c.libelle().into(), valeurs: vec![Some(charge.get(&i).copied().unwrap_or(0))] })
            .collect(),
        graphique: true,
    });
    tableaux.push(TableauStat {
        code: "disponibilites_par_departement".into(),
        titre: "Disponibilités par département".into(),
        explication: "Aujourd'hui, par département d'agrément : la capacité déclarée (hors mandataires suspendus), les mesures en \
                      cours et les places libres (capacité moins mesures en cours et réservations en attente). Un mandataire agréé \
                      dans plusieurs départements compte dans chacun."
            .into(),
        colonnes: vec!["Département".into(), "Mesures souhaitées".into(), "Mesures en cours".into(), "Places libres".into()],
        lignes: par_dep
            .iter()
            .map(|(code, l)| LigneStat { libelle: departement(code), valeurs: vec![Some(l[3]), Some(l[4]), Some(l[5])] })
            .collect(),
        graphique: false,
    });
    let part = pourcentage(anciens, actifs);
    tableaux.push(TableauStat {
        code: "fraicheur_des_chiffres".into(),
        titre: "Fraîcheur des disponibilités".into(),
        explication: format!(
            "Les mandataires agréés en activité (non suspendus) dont la capacité et les mesures n'ont pas été mises à jour depuis \
             plus de {} jours : les juges voient leurs chiffres signalés comme anciens.",
            crate::rules::capacity::JOURS_AVANT_OBSOLESCENCE
        ),
        colonnes: vec!["Indicateur".into(), "Valeur".into()],
        lignes: vec![
            LigneStat { libelle: "Mandataires agréés en activité".into(), valeurs: vec![Some(actifs)] },
            LigneStat { libelle: "dont chiffres de plus de 30 jours".into(), valeurs: vec![Some(anciens)] },
            LigneStat { libelle: "Part des chiffres de plus de 30 jours (%)".into(), valeurs: vec![part] },
        ],
        graphique: false,
    });
    tableaux.push(TableauStat {
        code: "mandataires_agrees_par_departement".into(),
        titre: "Mandataires agréés par département".into(),
        explication: "Aujourd'hui, par département d'agrément et par type.".into(),
        colonnes: vec!["Département".into(), "Individuels".into(), "Préposés d'établissement".into(), "Services".into(), "Total".into()],
        lignes: par_dep
            .iter()
            .map(|(code, l)| LigneStat {
                libelle: departement(code),
                valeurs: vec![Some(l[0]), Some(l[1]), Some(l[2]), Some(l[0] + l[1] + l[2])],
            })
            .collect(),
        graphique: false,
    });

    // The approvals of the period: entries of the liste blanche added then.
    let mut p = Parametres::new(backend);
    let filtre_type = perimetre.type_mandataire.clone().map(|k| format!(" AND type = {}", p.lier(k))).unwrap_or_default();
    let (de, a) = (p.lier(perimetre.debut_instant()), p.lier(perimetre.fin_instant()));
    let sql = format!("SELECT id, created_at FROM liste_blanche WHERE created_at >= {de} AND created_at < {a}{filtre_type}");
    let mut par_mois = vec![0i64; mois.len()];
    for row in lignes(db, sql, p).await? {
        if dans(row.try_get("", "id")?).is_empty() {
            continue;
        }
        let at: DateTime<FixedOffset> = row.try_get("", "created_at")?;
        if let Some(i) = mois.iter().position(|m| at >= m.de && at < m.a) {
            par_mois[i] += 1;
        }
    }
    tableaux.push(TableauStat {
        code: "agrements_par_mois".into(),
        titre: "Nouveaux agréments par mois".into(),
        explication: "Mandataires inscrits sur la liste blanche du territoire dans le mois.".into(),
        colonnes: vec!["Mois".into(), "Nouveaux agréments".into()],
        lignes: mois.iter().zip(par_mois).map(|(m, n)| LigneStat { libelle: m.libelle.clone(), valeurs: vec![Some(n)] }).collect(),
        graphique: false,
    });
    Ok(part)
}

#[cfg(test)]
mod tests {
    #[test]
    fn months_read_in_french() {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 8, 1).unwrap_or_default();
        assert_eq!(super::mois_en_clair(day), "août 2026");
    }
}
