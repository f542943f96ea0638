//! The feedback service: giving an avis (anyone), and the team's work on them
//! (administrators only, checked here whatever the entry point).

use super::{
    etiquettes, libelle, valider, DemandeAvis, FiltresAvis, LigneAvis, LigneEvolution, PageAvis, ReponseAvis, Satisfaction,
    AVIS_PAR_FENETRE, DESCRIPTION_MAX, PAR_PAGE, REPONSE_MAX, STATUTS, STATUTS_EVOLUTION, TITRE_MAX,
};
use crate::accounts::guard::Caller;
use crate::audit::AuditEvent;
use crate::db::entities::{avis, avis_reponses, departements, evolutions, regions, users};
use crate::errors::AppError;
use crate::notifications::{self, messages};
use crate::rules::roles::Role;
use crate::rules::vocabulary::is_valid;
use chrono::{DateTime, FixedOffset, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, NotSet, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use std::collections::HashMap;

/// Records an avis. `caller`: the signed-in person, if any (role and territory
/// are taken from the session); `ip` limits visitors. Ok(the avis's id) once
/// it is committed.
#[tracing::instrument(skip_all, err)]
pub async fn submit(db: &DatabaseConnection, caller: Option<&Caller>, demande: &DemandeAvis, ip: Option<&str>) -> Result<i32, AppError> {
    let valide = valider(demande, caller.is_some()).map_err(AppError::Champs)?;
    let cle = match caller {
        Some(caller) => format!("avis:compte:{}", caller.user_id),
        None => format!("avis:ip:{}", ip.unwrap_or("?")),
    };
    let limites = crate::rules::throttle::Limites::Bloquer { des: AVIS_PAR_FENETRE };
    if let Err(secondes) = crate::accounts::throttle::prendre_place(db, &cle, limites).await? {
        return Err(AppError::TropDeDemandes {
            message: format!(
                "Vous avez donné {AVIS_PAR_FENETRE} avis en peu de temps : merci ! Vous pourrez en donner un autre dans {}.",
                crate::rules::throttle::duree(secondes)
            ),
            secondes,
        });
    }
    let (departement_code, region_code) = match caller {
        Some(caller) => crate::usage::territory_of(db, caller).await?,
        None => (None, None),
    };
    let tx = crate::db::begin(db).await?;
    let saved = avis::ActiveModel {
        id: NotSet,
        created_at: Set(Utc::now().fixed_offset()),
        niveau: Set(valide.niveau),
        objectif: Set(valide.objectif),
        commentaire: Set(valide.commentaire),
        recontacter: Set(valide.recontacter),
        courriel: Set(valide.courriel),
        user_id: Set(caller.map(|c| c.user_id)),
        role: Set(caller.map(|c| c.role.as_str().to_string())),
        departement_code: Set(departement_code),
        region_code: Set(region_code),
        page: Set(valide.page),
        statut: Set("nouveau".into()),
        etiquettes: Set(String::new()),
        evolution_id: Set(None),
        informe_at: Set(None),
    }
    .insert(&tx)
    .await?;
    if let Some(caller) = caller {
        crate::usage::record(&tx, caller, crate::usage::Action::Avis).await?;
    }
    tx.commit().await?;
    Ok(saved.id)
}

fn paris(at: DateTime<FixedOffset>, format: &str) -> String {
    crate::rules::heure::a_paris(&at).format(format).to_string()
}

/// Every région and département, read once per list: the avis's territories
/// are named from them, and the page's filter offers them.
struct Territoires {
    regions: Vec<regions::Model>,
    departements: Vec<departements::Model>,
}

impl Territoires {
    async fn load(db: &impl ConnectionTrait) -> Result<Territoires, AppError> {
        Ok(Territoires {
            regions: regions::Entity::find().order_by_asc(regions::Column::Nom).all(db).await?,
            departements: departements::Entity::find().order_by_asc(departements::Column::Code).all(db).await?,
        })
    }

    fn nom_region(r: &regions::Model) -> String {
        format!("Région {}", r.nom)
    }

    fn nom_departement(d: &departements::Model) -> String {
        format!("{} — {}", d.code, d.nom)
    }
}

/// One page of the avis matching the filters, newest first (`GET /api/v1/avis`).
pub struct ListeAvis {
    pub total: u64,
    pub numero: u64,
    pub avis: Vec<LigneAvis>,
}

/// The avis matching the filters, newest first, 50 per page.
#[tracing::instrument(skip_all, err)]
pub async fn list(db: &DatabaseConnection, caller: &Caller, filtres: &FiltresAvis) -> Result<ListeAvis, AppError> {
    caller.require(&Role::ADMIN)?;
    filtered(db, filtres, &Territoires::load(db).await?).await
}

/// The team's page: the avis of [`list`] and what the page needs to filter
/// and follow them up (évolutions, territories, pages, satisfaction).
#[tracing::instrument(skip_all, err)]
pub async fn page(db: &DatabaseConnection, caller: &Caller, filtres: &FiltresAvis) -> Result<PageAvis, AppError> {
    caller.require(&Role::ADMIN)?;
    let territoires = Territoires::load(db).await?;
    let ListeAvis { total, numero, avis: lignes } = filtered(db, filtres, &territoires).await?;
    let evolutions: Vec<(i32, String)> =
        evolutions::Entity::find().order_by_desc(evolutions::Column::Id).all(db).await?.into_iter().map(|e| (e.id, e.titre)).collect();
    let mut options: Vec<(String, String)> =
        territoires.regions.iter().map(|r| (format!("r-{}", r.code), Territoires::nom_region(r))).collect();
    options.extend(territoires.departements.iter().map(|d| (d.code.clone(), Territoires::nom_departement(d))));
    let pages: Vec<String> = avis::Entity::find()
        .select_only()
        .column(avis::Column::Page)
        .distinct()
        .filter(avis::Column::Page.is_not_null())
        .order_by_asc(avis::Column::Page)
        .into_tuple::<Option<String>>()
        .all(db)
        .await?
        .into_iter()
        .flatten()
        .collect();
    Ok(PageAvis { total, numero, avis: lignes, evolutions, territoires: options, pages, satisfaction: satisfaction(db).await? })
}

async fn filtered(db: &DatabaseConnection, filtres: &FiltresAvis, territoires: &Territoires) -> Result<ListeAvis, AppError> {
    let mut query = avis::Entity::find();
    let given = |value: &Option<String>| value.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_string);
    if let Some(role) = given(&filtres.role) {
        query = if role == "visiteur" {
            query.filter(avis::Column::Role.is_null())
        } else if Role::parse(&role).is_some() {
            query.filter(avis::Column::Role.eq(role))
        } else {
            return Err(AppError::Invalide(format!("Rôle inconnu : « {role} ».")));
        };
    }
    if let Some(territoire) = given(&filtres.territoire) {
        query = match territoire.strip_prefix("r-") {
            Some(region) => query.filter(avis::Column::RegionCode.eq(region)),
            None => query.filter(avis::Column::DepartementCode.eq(territoire)),
        };
    }
    if let Some(page) = given(&filtres.page) {
        query = query.filter(avis::Column::Page.eq(page));
    }
    if let Some(niveau) = given(&filtres.niveau) {
        if !is_valid(&super::NIVEAUX, &niveau) {
            return Err(AppError::Invalide("Niveau inconnu : choisissez bien, moyen ou mal.".into()));
        }
        query = query.filter(avis::Column::Niveau.eq(niveau));
    }
    if let Some(statut) = given(&filtres.statut) {
        if !is_valid(&STATUTS, &statut) {
            return Err(AppError::Invalide(format!("Statut inconnu : « {statut} ».")));
        }
        query = query.filter(avis::Column::Statut.eq(statut));
    }
    if let Some(evolution) = given(&filtres.evolution) {
        let evolution: i32 =
            evolution.parse().map_err(|_| AppError::Invalide("Évolution : un identifiant numérique est attendu.".into()))?;
        query = query.filter(avis::Column::EvolutionId.eq(evolution));
    }
    let du = crate::rules::heure::jour_filtre(filtres.du.as_deref(), "du")?;
    let au = crate::rules::heure::jour_filtre(filtres.au.as_deref(), "au")?;
    if let (Some(du), Some(au)) = (du, au) {
        if au < du {
            return Err(AppError::Invalide("La période finit avant de commencer.".into()));
        }
    }
    if let Some(du) = du {
        query = query.filter(avis::Column::CreatedAt.gte(crate::rules::heure::minuit_a_paris(du)));
    }
    if let Some(au) = au {
        query = query.filter(avis::Column::CreatedAt.lt(crate::rules::heure::fin_du_jour_a_paris(au)));
    }
    let numero =
        given(&filtres.numero).map_or(Ok(1), |n| n.parse::<u64>().map_err(|_| ()).and_then(|n| if n >= 1 { Ok(n) } else { Err(()) }));
    let numero = numero.map_err(|_| AppError::Invalide("Numéro de page invalide : un entier à partir de 1 est attendu.".into()))?;

    let total = query.clone().count(db).await?;
    let rows = query
        .order_by_desc(avis::Column::CreatedAt)
        .order_by_desc(avis::Column::Id)
        .offset((numero - 1).saturating_mul(PAR_PAGE))
        .limit(PAR_PAGE)
        .all(db)
        .await?;
    Ok(ListeAvis { total, numero, avis: lines_of(db, rows, territoires).await? })
}

/// The avis rows as the team reads them: authors, territories, évolutions and
/// answers fetched once for the whole page (not once per avis).
async fn lines_of(db: &impl ConnectionTrait, rows: Vec<avis::Model>, territoires: &Territoires) -> Result<Vec<LigneAvis>, AppError> {
    let ids: Vec<i32> = rows.iter().map(|a| a.id).collect();
    let mut user_ids: Vec<i32> = rows.iter().filter_map(|a| a.user_id).collect();
    let reponses = avis_reponses::Entity::find()
        .filter(avis_reponses::Column::AvisId.is_in(ids))
        .order_by_asc(avis_reponses::Column::Id)
        .all(db)
        .await?;
    user_ids.extend(reponses.iter().filter_map(|r| r.auteur_user_id));
    let people: HashMap<i32, users::Model> =
        users::Entity::find().filter(users::Column::Id.is_in(user_ids)).all(db).await?.into_iter().map(|u| (u.id, u)).collect();
    let evolution_ids: Vec<i32> = rows.iter().filter_map(|a| a.evolution_id).collect();
    let titres: HashMap<i32, String> = evolutions::Entity::find()
        .filter(evolutions::Column::Id.is_in(evolution_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e.titre))
        .collect();
    let noms_departements: HashMap<&str, String> =
        territoires.departements.iter().map(|d| (d.code.as_str(), Territoires::nom_departement(d))).collect();
    let noms_regions: HashMap<&str, String> = territoires.regions.iter().map(|r| (r.code.as_str(), Territoires::nom_region(r))).collect();
    let nom = |id: Option<i32>| id.and_then(|id| people.get(&id)).map(|u| format!("{} {}", u.prenom, u.nom));
    Ok(rows
        .into_iter()
        .map(|a| {
            let contact = if a.recontacter {
                a.courriel.clone().or_else(|| a.user_id.and_then(|id| people.get(&id)).map(|u| u.email.clone()))
            } else {
                None
            };
            let territoire = match (&a.departement_code, &a.region_code) {
                (Some(d), _) => noms_departements.get(d.as_str()).cloned().or_else(|| Some(d.clone())),
                (None, Some(r)) => noms_regions.get(r.as_str()).cloned().or_else(|| Some(r.clone())),
                (None, None) => None,
            };
            LigneAvis {
                id: a.id,
                cree_le: a.created_at.to_rfc3339(),
                date: paris(a.created_at, "%d/%m/%Y %H:%M"),
                niveau: a.niveau,
                objectif: a.objectif,
                commentaire: a.commentaire,
                recontacter: a.recontacter,
                contact,
                auteur: nom(a.user_id),
                role: a.role,
                territoire,
                page: a.page,
                statut: a.statut,
                etiquettes: a.etiquettes.split(',').filter(|t| !t.is_empty()).map(str::to_string).collect(),
                evolution: a.evolution_id.and_then(|id| titres.get(&id).map(|t| (id, t.clone()))),
                reponses: reponses
                    .iter()
                    .filter(|r| r.avis_id == a.id)
                    .map(|r| ReponseAvis {
                        date: paris(r.created_at, "%d/%m/%Y %H:%M"),
                        auteur: nom(r.auteur_user_id).unwrap_or_else(|| "Ancien compte".into()),
                        destinataire: r.destinataire.clone(),
                        texte: r.texte.clone(),
                    })
                    .collect(),
            }
        })
        .collect())
}

/// Satisfaction per month (the last 12, Paris time) and role. One query for
/// the rows' three columns, counted here: the month is Paris's, which SQLite
/// cannot tell (summer time), and avis are few (people give a handful a year).
async fn satisfaction(db: &DatabaseConnection) -> Result<Vec<Satisfaction>, AppError> {
    let depuis = (Utc::now() - chrono::Duration::days(366)).fixed_offset();
    let rows: Vec<(DateTime<FixedOffset>, Option<String>, String)> = avis::Entity::find()
        .select_only()
        .column(avis::Column::CreatedAt)
        .column(avis::Column::Role)
        .column(avis::Column::Niveau)
        .filter(avis::Column::CreatedAt.gte(depuis))
        .into_tuple()
        .all(db)
        .await?;
    let mut counts: std::collections::BTreeMap<(String, String), Satisfaction> = std::collections::BTreeMap::new();
    for (at, role, niveau) in rows {
        let mois = paris(at, "%Y-%m");
        let role = role.unwrap_or_default();
        let entry = counts.entry((mois.clone(), role.clone())).or_insert_with(|| Satisfaction { mois, role, bien: 0, moyen: 0, mal: 0 });
        match niveau.as_str() {
            "bien" => entry.bien += 1,
            "moyen" => entry.moyen += 1,
            _ => entry.mal += 1,
        }
    }
    // Newest month first, roles in a stable order within a month.
    let mut out: Vec<Satisfaction> = counts.into_values().collect();
    out.sort_by(|a, b| b.mois.cmp(&a.mois).then(a.role.cmp(&b.role)));
    Ok(out)
}

/// The team's follow-up of one avis.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DemandeSuivi {
    pub statut: String,
    /// Tags as typed ("lenteur, carte").
    pub etiquettes: String,
    pub evolution_id: Option<i32>,
}

/// Sets an avis's status, tags and évolution (administrators), audited.
#[tracing::instrument(skip_all, err)]
pub async fn follow_up(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i32,
    demande: &DemandeSuivi,
    ip: Option<String>,
) -> Result<(), AppError> {
    caller.require(&Role::ADMIN)?;
    let mut refus = Vec::new();
    if !is_valid(&STATUTS, &demande.statut) {
        refus.push(("statut".to_string(), "Choisissez un statut de la liste.".to_string()));
    }
    let tags = etiquettes(&demande.etiquettes).unwrap_or_else(|message| {
        refus.push(("etiquettes".into(), message));
        Vec::new()
    });
    if !refus.is_empty() {
        return Err(AppError::Champs(refus));
    }
    let tx = crate::db::begin(db).await?;
    let current = avis::Entity::find_by_id(id).one(&tx).await?.ok_or(AppError::Introuvable)?;
    if let Some(evolution_id) = demande.evolution_id {
        if evolutions::Entity::find_by_id(evolution_id).one(&tx).await?.is_none() {
            return Err(AppError::Champs(vec![("evolution_id".into(), "Cette évolution n'existe pas (ou plus).".into())]));
        }
    }
    let mut row: avis::ActiveModel = current.into();
    row.statut = Set(demande.statut.clone());
    row.etiquettes = Set(tags.join(","));
    row.evolution_id = Set(demande.evolution_id);
    row.update(&tx).await?;
    AuditEvent::by(caller, "avis.suivi")
        .target("avis", id)
        .summary(format!(
            "Avis n° {id} : {}{}",
            libelle(&STATUTS, &demande.statut).to_lowercase(),
            demande.evolution_id.map(|e| format!(", lié à l'évolution n° {e}")).unwrap_or_default()
        ))
        .ip(ip)
        .record(&tx)
        .await;
    tx.commit().await?;
    Ok(())
}

/// Answers an avis by mail (administrators), when its author agreed to be
/// contacted: the mail is queued with the answer, in one transaction.
#[tracing::instrument(skip_all, err)]
pub async fn reply(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i32,
    texte: &str,
    ip: Option<String>,
    base_url: &str,
) -> Result<(), AppError> {
    caller.require(&Role::ADMIN)?;
    let texte = texte.trim();
    if texte.is_empty() {
        return Err(AppError::Champs(vec![("reponse".into(), "Écrivez la réponse.".into())]));
    }
    if texte.chars().count() > REPONSE_MAX {
        return Err(AppError::Champs(vec![("reponse".into(), format!("La réponse compte au plus {REPONSE_MAX} caractères."))]));
    }
    let tx = crate::db::begin(db).await?;
    let row = avis::Entity::find_by_id(id).one(&tx).await?.ok_or(AppError::Introuvable)?;
    if !row.recontacter {
        return Err(AppError::Conflit("Cette personne n'a pas demandé à être recontactée : on ne lui écrit pas.".into()));
    }
    let destinataire = match (&row.courriel, row.user_id) {
        (Some(courriel), _) => courriel.clone(),
        (None, Some(user_id)) => match users::Entity::find_by_id(user_id).one(&tx).await? {
            Some(user) if user.active => user.email,
            _ => {
                return Err(AppError::Conflit("Le compte de cette personne n'est plus actif : la réponse ne peut pas lui parvenir.".into()))
            }
        },
        (None, None) => return Err(AppError::Conflit("Aucune adresse n'est connue pour cet avis.".into())),
    };
    avis_reponses::ActiveModel {
        id: NotSet,
        avis_id: Set(id),
        auteur_user_id: Set(Some(caller.user_id)),
        destinataire: Set(destinataire.clone()),
        texte: Set(texte.to_string()),
        created_at: Set(Utc::now().fixed_offset()),
    }
    .insert(&tx)
    .await?;
    let quand = paris(row.created_at, "%d/%m/%Y");
    notifications::enqueue(&tx, messages::reponse_avis(&quand, &row.commentaire, texte, &format!("{base_url}/avis")).pour(&destinataire))
        .await?;
    AuditEvent::by(caller, "avis.reponse")
        .target("avis", id)
        .summary(format!("Réponse par courriel à l'avis n° {id}"))
        .ip(ip)
        .record(&tx)
        .await;
    tx.commit().await?;
    Ok(())
}

/// The team's list of évolutions, newest first, with their avis counted in
/// one query.
#[tracing::instrument(skip_all, err)]
pub async fn evolutions(db: &DatabaseConnection, caller: &Caller) -> Result<Vec<LigneEvolution>, AppError> {
    caller.require(&Role::ADMIN)?;
    let counts: Vec<(Option<i32>, i64, i64)> = avis::Entity::find()
        .select_only()
        .column(avis::Column::EvolutionId)
        .column_as(Expr::col(avis::Column::Id).count(), "avis")
        .column_as(Expr::cust("SUM(CASE WHEN avis.recontacter AND avis.informe_at IS NULL THEN 1 ELSE 0 END)"), "a_informer")
        .filter(avis::Column::EvolutionId.is_not_null())
        .group_by(avis::Column::EvolutionId)
        .into_tuple()
        .all(db)
        .await?;
    let counts: HashMap<i32, (i64, i64)> = counts.into_iter().filter_map(|(id, n, a)| id.map(|id| (id, (n, a)))).collect();
    Ok(evolutions::Entity::find()
        .order_by_desc(evolutions::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|e| {
            let (avis, a_informer) = counts.get(&e.id).copied().unwrap_or((0, 0));
            LigneEvolution {
                id: e.id,
                titre: e.titre,
                description: e.description,
                statut: e.statut,
                fait_le: e.fait_at.map(|at| paris(at, "%d/%m/%Y")),
                avis,
                a_informer,
            }
        })
        .collect())
}

/// A new évolution, or a change of one.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DemandeEvolution {
    pub titre: String,
    pub description: String,
    pub statut: String,
}

fn checked_evolution(demande: &DemandeEvolution) -> Result<(), AppError> {
    let mut refus = Vec::new();
    let titre = demande.titre.trim();
    if titre.is_empty() {
        refus.push(("titre".to_string(), "Donnez un titre à l'évolution.".to_string()));
    } else if titre.chars().count() > TITRE_MAX {
        refus.push(("titre".into(), format!("Le titre compte au plus {TITRE_MAX} caractères.")));
    }
    if demande.description.trim().chars().count() > DESCRIPTION_MAX {
        refus.push(("description".into(), format!("La description compte au plus {DESCRIPTION_MAX} caractères.")));
    }
    if !is_valid(&STATUTS_EVOLUTION, &demande.statut) {
        refus.push(("statut".into(), "Choisissez un statut de la liste.".into()));
    }
    if refus.is_empty() {
        Ok(())
    } else {
        Err(AppError::Champs(refus))
    }
}

/// Adds an évolution to the team's list (administrators), audited.
#[tracing::instrument(skip_all, err)]
pub async fn create_evolution(
    db: &DatabaseConnection,
    caller: &Caller,
    demande: &DemandeEvolution,
    ip: Option<String>,
    base_url: &str,
) -> Result<i32, AppError> {
    caller.require(&Role::ADMIN)?;
    checked_evolution(demande)?;
    let tx = crate::db::begin(db).await?;
    let saved = evolutions::ActiveModel {
        id: NotSet,
        titre: Set(demande.titre.trim().to_string()),
        description: Set(demande.description.trim().to_string()),
        statut: Set("a_l_etude".into()),
        created_at: Set(Utc::now().fixed_offset()),
        fait_at: Set(None),
    }
    .insert(&tx)
    .await?;
    AuditEvent::by(caller, "evolution.creation")
        .target("evolution", saved.id)
        .summary(format!("Évolution « {} »", saved.titre))
        .ip(ip.clone())
        .record(&tx)
        .await;
    tx.commit().await?;
    if demande.statut != "a_l_etude" {
        update_evolution(db, caller, saved.id, demande, ip, base_url).await?;
    }
    Ok(saved.id)
}

/// Changes an évolution (administrators), audited. Marking it "faite" mails,
/// once, everyone whose avis is linked to it and who agreed to be contacted,
/// and closes those avis as "fait" — in the same transaction, decided by one
/// conditional update so that two administrators marking it together send
/// each mail once.
#[tracing::instrument(skip_all, err)]
pub async fn update_evolution(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i32,
    demande: &DemandeEvolution,
    ip: Option<String>,
    base_url: &str,
) -> Result<usize, AppError> {
    caller.require(&Role::ADMIN)?;
    checked_evolution(demande)?;
    let tx = crate::db::begin(db).await?;
    let current = evolutions::Entity::find_by_id(id).one(&tx).await?.ok_or(AppError::Introuvable)?;
    let now = Utc::now().fixed_offset();
    evolutions::Entity::update_many()
        .col_expr(evolutions::Column::Titre, Expr::value(demande.titre.trim()))
        .col_expr(evolutions::Column::Description, Expr::value(demande.description.trim()))
        .filter(evolutions::Column::Id.eq(id))
        .exec(&tx)
        .await?;
    let mut informes = 0;
    if demande.statut == "fait" {
        let devient_faite = evolutions::Entity::update_many()
            .col_expr(evolutions::Column::Statut, Expr::value("fait"))
            .col_expr(evolutions::Column::FaitAt, Expr::value(now))
            .filter(evolutions::Column::Id.eq(id))
            .filter(evolutions::Column::Statut.ne("fait"))
            .exec(&tx)
            .await?
            .rows_affected
            == 1;
        if devient_faite {
            informes = tell_askers(&tx, id, demande.titre.trim(), demande.description.trim(), now, base_url).await?;
        }
    } else {
        evolutions::Entity::update_many()
            .col_expr(evolutions::Column::Statut, Expr::value(demande.statut.clone()))
            .col_expr(evolutions::Column::FaitAt, Expr::value(Option::<DateTime<FixedOffset>>::None))
            .filter(evolutions::Column::Id.eq(id))
            .exec(&tx)
            .await?;
    }
    let summary = if current.statut != demande.statut {
        format!(
            "Évolution « {} » : {} → {}{}",
            demande.titre.trim(),
            libelle(&STATUTS_EVOLUTION, &current.statut).to_lowercase(),
            libelle(&STATUTS_EVOLUTION, &demande.statut).to_lowercase(),
            if informes > 0 { format!(" ; {} prévenue(s) par courriel", informes) } else { String::new() }
        )
    } else {
        format!("Évolution « {} » modifiée", demande.titre.trim())
    };
    AuditEvent::by(caller, "evolution.modification").target("evolution", id).summary(summary).ip(ip).record(&tx).await;
    tx.commit().await?;
    Ok(informes)
}

/// Mails each person (once per address) who asked for évolution `id` and
/// agreed to be contacted, marks them told, and closes the linked avis that
/// were still open. Returns how many addresses were mailed.
async fn tell_askers(
    tx: &sea_orm::DatabaseTransaction,
    id: i32,
    titre: &str,
    description: &str,
    now: DateTime<FixedOffset>,
    base_url: &str,
) -> Result<usize, AppError> {
    let linked = avis::Entity::find()
        .filter(avis::Column::EvolutionId.eq(id))
        .filter(avis::Column::Recontacter.eq(true))
        .filter(avis::Column::InformeAt.is_null())
        .order_by_asc(avis::Column::Id)
        .all(tx)
        .await?;
    let user_ids: Vec<i32> = linked.iter().filter_map(|a| a.user_id).collect();
    let addresses: HashMap<i32, String> = users::Entity::find()
        .filter(users::Column::Id.is_in(user_ids))
        .filter(users::Column::Active.eq(true))
        .all(tx)
        .await?
        .into_iter()
        .map(|u| (u.id, u.email))
        .collect();
    let mut mailed: Vec<String> = Vec::new();
    let message = messages::evolution_faite(titre, description, &format!("{base_url}/avis"));
    for row in &linked {
        let address = row.courriel.clone().or_else(|| row.user_id.and_then(|u| addresses.get(&u).cloned()));
        if let Some(address) = address {
            if !mailed.iter().any(|m| m.eq_ignore_ascii_case(&address)) {
                notifications::enqueue(tx, message.pour(&address)).await?;
                mailed.push(address);
            }
        }
    }
    avis::Entity::update_many()
        .col_expr(avis::Column::InformeAt, Expr::value(now))
        .filter(avis::Column::Id.is_in(linked.iter().map(|a| a.id)))
        .exec(tx)
        .await?;
    avis::Entity::update_many()
        .col_expr(avis::Column::Statut, Expr::value("fait"))
        .filter(avis::Column::EvolutionId.eq(id))
        .filter(avis::Column::Statut.is_in(["nouveau", "a_l_etude", "prevu"]))
        .exec(tx)
        .await?;
    Ok(mailed.len())
}
