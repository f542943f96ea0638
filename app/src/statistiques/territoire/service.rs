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
use crate::rules::statistiques::{mois_de_la_periode, periode, pourcentage, public, quantile_des_comptes, Charge};
use crate::rules::vocabulary::{label, Term, CAUSES_SORTIE, CHAMPS, LIEUX_DE_VIE, NATURES, TYPES_GESTIONNAIRE};
use crate::statistiques::agregats::{self, fait};
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
                Mois {
                    cle: premier.format("%Y-%m").to_string(),
                    libelle: mois_en_clair(*premier),
                    fin,
                    de: minuit_a_paris(debut),
                    a: fin_du_jour_a_paris(fin),
                }
            })
            .collect()
    }

    /// The scope of the figures kept ahead: the joins and the conditions
    /// (`a` a row of `statistiques_mesures`, `t` its tribunal), binding their
    /// values. The whole of France has its own counts; any narrower scope,
    /// its tribunals'.
    fn agregats(&self, p: &mut Parametres) -> (String, String) {
        let national = self.departements.is_none() && self.tribunal.is_none();
        let mut joins = String::new();
        let mut conditions =
            vec![if national { format!("a.tribunal_id = {}", agregats::FRANCE) } else { format!("a.tribunal_id <> {}", agregats::FRANCE) }];
        if let Some(codes) = &self.departements {
            joins.push_str(" JOIN tribunaux t ON t.id = a.tribunal_id");
            let liste: Vec<String> = codes.iter().map(|c| p.lier(c.clone())).collect();
            conditions.push(format!("t.departement_code IN ({})", liste.join(", ")));
        }
        if let Some(tribunal) = self.tribunal {
            conditions.push(format!("a.tribunal_id = {}", p.lier(tribunal)));
        }
        if let Some(kind) = &self.type_mandataire {
            conditions.push(format!("a.type_mandataire = {}", p.lier(kind.clone())));
        }
        (joins, conditions.join(" AND "))
    }
}

struct Mois {
    /// "AAAA-MM", as the figures kept ahead name it.
    cle: String,
    libelle: String,
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
    let comptes = Comptes::de_la_periode(db, &perimetre, &mois).await?;
    let (reservees, enregistrees) = mesures_par_mois(&comptes, &perimetre, &mois, &mut tableaux);
    for (code, titre, par, vocabulaire) in [
        ("mesures_par_nature", "Nouvelles mesures par nature", comptes.par_valeur(fait::NATURE), &NATURES[..]),
        ("mesures_par_champ", "Nouvelles mesures par champ", comptes.par_valeur(fait::CHAMP), &CHAMPS[..]),
        ("mesures_par_lieu_de_vie", "Nouvelles mesures par lieu de vie", comptes.par_valeur(fait::LIEU_VIE), &LIEUX_DE_VIE[..]),
        (
            "mesures_par_type_de_mandataire",
            "Nouvelles mesures par type de mandataire",
            comptes.par_type(fait::NOUVELLE),
            &TYPES_GESTIONNAIRE[..],
        ),
    ] {
        tableaux.push(nouvelles_par(&perimetre, code, titre, par, vocabulaire));
    }
    let en_cours = en_cours_par_mois(db, &perimetre, &mois, &mut tableaux).await?;
    tableaux.push(fins_par_mois(&comptes, &perimetre, &mois));
    let delai_median_minutes = reservations(&perimetre, &comptes, &mois, &mut tableaux);
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

/// The counts of the figures kept ahead (`statistiques::agregats`) over
/// the period's months, in the caller's scope: (fact, month, kind of
/// professional, value) → number.
struct Comptes(Vec<(String, String, String, String, i64)>);

impl Comptes {
    /// The period's counts of the facts that happen in a month (new
    /// measures, closings). One query on a few thousand rows.
    async fn de_la_periode(db: &DatabaseConnection, perimetre: &Perimetre, mois: &[Mois]) -> Result<Comptes, AppError> {
        let mut p = Parametres::new(db.get_database_backend());
        let (joins, scope) = perimetre.agregats(&mut p);
        let faits = [
            fait::NOUVELLE,
            fait::URGENTE,
            fait::NATURE,
            fait::CHAMP,
            fait::LIEU_VIE,
            fait::FIN,
            fait::EVENEMENT,
            fait::ROUVRANTE,
            fait::DELAI,
        ]
        .map(|f| p.lier(f))
        .join(", ");
        let (premier, dernier) = (mois.first().map(|m| m.cle.clone()), mois.last().map(|m| m.cle.clone()));
        let (de, a) = (p.lier(premier.unwrap_or_default()), p.lier(dernier.unwrap_or_default()));
        let sql = format!(
            "SELECT a.fait, a.mois, a.type_mandataire AS kind, a.valeur, CAST(SUM(a.nombre) AS BIGINT) AS n \
             FROM {} a{joins} WHERE {scope} AND a.fait IN ({faits}) AND a.mois >= {de} AND a.mois <= {a} \
             GROUP BY a.fait, a.mois, a.type_mandataire, a.valeur",
            agregats::TABLE
        );
        let mut out = Vec::new();
        for row in lignes(db, sql, p).await? {
            out.push((
                row.try_get("", "fait")?,
                row.try_get("", "mois")?,
                row.try_get("", "kind")?,
                row.try_get("", "valeur")?,
                entier(&row, "n")?,
            ));
        }
        Ok(Comptes(out))
    }

    /// A fact's counts of each month, for the values `garder` keeps.
    fn par_mois(&self, fait: &str, mois: &[Mois], garder: impl Fn(&str) -> bool) -> Vec<i64> {
        mois.iter().map(|m| self.0.iter().filter(|c| c.0 == fait && c.1 == m.cle && garder(&c.3)).map(|c| c.4).sum()).collect()
    }

    /// A fact's counts over the period, by value.
    fn par_valeur(&self, fait: &str) -> HashMap<String, i64> {
        let mut out = HashMap::new();
        for c in self.0.iter().filter(|c| c.0 == fait) {
            *out.entry(c.3.clone()).or_default() += c.4;
        }
        out
    }

    /// A fact's counts over the period, by kind of professional.
    fn par_type(&self, fait: &str) -> HashMap<String, i64> {
        let mut out = HashMap::new();
        for c in self.0.iter().filter(|c| c.0 == fait) {
            *out.entry(c.2.clone()).or_default() += c.4;
        }
        out
    }
}

/// The new measures of each month: reserved through the service (by the
/// day of their reservation) and recorded directly by the professionals (by
/// the day they were recorded).
fn mesures_par_mois(
    comptes: &Comptes,
    perimetre: &Perimetre,
    mois: &[Mois],
    tableaux: &mut Vec<TableauStat>,
) -> (Option<i64>, Option<i64>) {
    let reservees = comptes.par_mois(fait::NOUVELLE, mois, |v| v == "reservee");
    let directes = comptes.par_mois(fait::NOUVELLE, mois, |v| v != "reservee");
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
    (perimetre.nombre(total_r), perimetre.nombre(total_d))
}

/// The period's new measures counted by one of their columns (`par`
/// their counts by code), in the vocabulary's order ("Non renseigné" last
/// when some have none).
fn nouvelles_par(perimetre: &Perimetre, code: &str, titre: &str, mut par: HashMap<String, i64>, vocabulaire: &[Term]) -> TableauStat {
    let mut out: Vec<LigneStat> = vocabulaire
        .iter()
        .map(|(code, libelle)| LigneStat { libelle: libelle.to_string(), valeurs: vec![perimetre.nombre(par.remove(*code).unwrap_or(0))] })
        .collect();
    // Codes outside the vocabulary (older data) and measures without the value.
    let autres: i64 = par.values().sum();
    if autres > 0 {
        out.push(LigneStat { libelle: "Non renseigné".into(), valeurs: vec![perimetre.nombre(autres)] });
    }
    TableauStat {
        code: code.into(),
        titre: titre.into(),
        explication: "Mesures réservées par le service ou enregistrées directement sur la période. Le lieu de vie n'est connu \
                      qu'une fois la mesure acceptée."
            .into(),
        colonnes: vec![titre.rsplit(" par ").next().map(crate::rules::texte::capitalise).unwrap_or_default(), "Mesures".into()],
        lignes: out,
        graphique: false,
    }
}

/// The measures in progress at the end of each month (or of the period):
/// the measures named up to then less those that left the stock (one
/// query: the months before the period in one sum, then each month's).
async fn en_cours_par_mois(
    db: &DatabaseConnection,
    perimetre: &Perimetre,
    mois: &[Mois],
    tableaux: &mut Vec<TableauStat>,
) -> Result<Option<i64>, AppError> {
    let mut p = Parametres::new(db.get_database_backend());
    let (joins, scope) = perimetre.agregats(&mut p);
    let (premier, dernier) = (mois.first().map(|m| m.cle.clone()), mois.last().map(|m| m.cle.clone()));
    let premier = p.lier(premier.unwrap_or_default());
    let (nommee, sortie, a) = (p.lier(fait::NOMMEE), p.lier(fait::SORTIE), p.lier(dernier.unwrap_or_default()));
    let sql = format!(
        "SELECT CASE WHEN a.mois < {premier} THEN '' ELSE a.mois END AS mois, \
                CAST(SUM(CASE WHEN a.fait = {nommee} THEN a.nombre ELSE -a.nombre END) AS BIGINT) AS n \
         FROM {} a{joins} WHERE {scope} AND a.fait IN ({nommee}, {sortie}) AND a.mois <= {a} \
         GROUP BY CASE WHEN a.mois < {premier} THEN '' ELSE a.mois END",
        agregats::TABLE
    );
    let mut mouvements: HashMap<String, i64> = HashMap::new();
    for row in lignes(db, sql, p).await? {
        mouvements.insert(row.try_get("", "mois")?, entier(&row, "n")?);
    }
    let mut stock = mouvements.get("").copied().unwrap_or(0);
    let mut out = Vec::new();
    for m in mois {
        stock += mouvements.get(&m.cle).copied().unwrap_or(0);
        out.push(LigneStat { libelle: format!("{} (au {})", m.libelle, m.fin.format("%d/%m/%Y")), valeurs: vec![perimetre.nombre(stock)] });
    }
    tableaux.push(TableauStat {
        code: "mesures_en_cours_par_mois".into(),
        titre: "Mesures en cours à la fin de chaque mois".into(),
        explication: "Mesures dont la date de nomination est passée et qui n'avaient pas pris fin ce jour-là.".into(),
        colonnes: vec!["Mois".into(), "Mesures en cours".into()],
        lignes: out,
        graphique: true,
    });
    Ok(perimetre.nombre(stock))
}

/// The measures that ended in each month, by cause.
fn fins_par_mois(comptes: &Comptes, perimetre: &Perimetre, mois: &[Mois]) -> TableauStat {
    let connue = |cause: &str| label(&CAUSES_SORTIE, cause).is_some();
    let mut causes: Vec<(String, Vec<i64>)> =
        CAUSES_SORTIE.iter().map(|(code, libelle)| (libelle.to_string(), comptes.par_mois(fait::FIN, mois, |c| c == *code))).collect();
    causes.push(("Cause non précisée".into(), comptes.par_mois(fait::FIN, mois, |c| !connue(c))));
    let mut colonnes: Vec<String> = vec!["Mois".into()];
    colonnes.extend(causes.iter().map(|(l, _)| l.clone()));
    colonnes.push("Total".into());
    let out = mois
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let mut valeurs: Vec<i64> = causes.iter().map(|(_, n)| n[i]).collect();
            valeurs.push(valeurs.iter().sum());
            LigneStat { libelle: m.libelle.clone(), valeurs: valeurs.into_iter().map(|n| perimetre.nombre(n)).collect() }
        })
        .collect();
    TableauStat {
        code: "fins_de_mesure_par_mois".into(),
        titre: "Fins de mesure par mois et par cause".into(),
        explication: "Mesures qui ont pris fin dans le mois (date de fin), par cause de sortie.".into(),
        colonnes,
        lignes: out,
        graphique: false,
    }
}

/// The reservations of the period and what became of them, from the
/// figures kept ahead: the events of each kind, the reopenings, the urgent
/// share (of the measures reserved in the period) and the delays from
/// reservation to acceptance (rounded hours). Returns the median delay, in
/// minutes (whole hours).
fn reservations(perimetre: &Perimetre, comptes: &Comptes, mois: &[Mois], tableaux: &mut Vec<TableauStat>) -> Option<i64> {
    let evenements = comptes.par_valeur(fait::EVENEMENT);
    let compte = |action: &str| evenements.get(action).copied().unwrap_or(0);
    let reservees = compte("reservee");
    let rouvertes: i64 = comptes.par_valeur(fait::ROUVRANTE).values().sum();
    // The urgent share: of the measures reserved in the period (kept ahead).
    let urgentes: i64 = comptes.par_mois(fait::URGENTE, mois, |_| true).iter().sum();
    let reservees_mesures: i64 = comptes.par_mois(fait::NOUVELLE, mois, |v| v == "reservee").iter().sum();
    let delais: Vec<(i64, i64)> =
        comptes.par_valeur(fait::DELAI).into_iter().filter_map(|(heures, n)| Some((heures.parse::<i64>().ok()?, n))).collect();
    // Quantiles of fewer than 5 delays would give one person's delay away.
    let assez = perimetre.nombre(delais.iter().map(|(_, n)| n).sum()).is_some();
    let median = assez.then(|| quantile_des_comptes(&delais, 0.5)).flatten();
    let neuvieme = assez.then(|| quantile_des_comptes(&delais, 0.9)).flatten();
    let part_urgentes = perimetre.nombre(reservees_mesures).and_then(|_| pourcentage(urgentes, reservees_mesures));
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
            ligne("Délai médian jusqu'à l'acceptation (heures)", median),
            ligne("Délai dans 90 % des cas au plus (heures)", neuvieme),
        ],
        graphique: false,
    });
    median.map(|heures| heures * 60)
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
