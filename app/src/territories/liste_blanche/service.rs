//! The liste blanche (server only): the entries of a territory, filtered;
//! creation and change of an entry by its direction or the product team.
use super::*;
use crate::accounts::guard::{Caller, Scope, Territoire};
use crate::audit::AuditEvent;
use crate::db::entities::{
    departements, etablissements, gestionnaires, liste_blanche, liste_blanche_departements, liste_blanche_etablissements,
};
use crate::rules::roles::Role;
use crate::territories::approvals::entries_in;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    Set,
};
use std::collections::HashMap;

/// The départements the caller answers for, with its territory's name.
pub async fn territory(db: &impl ConnectionTrait, caller: &Caller) -> Result<(Vec<departements::Model>, String), AppError> {
    caller.require(&Role::PILOTAGE)?;
    let mut query = departements::Entity::find().order_by_asc(departements::Column::Code);
    let label = match &caller.scope {
        Scope::Admin | Scope::Territoire(Territoire::National) => "France entière".to_string(),
        Scope::Territoire(Territoire::Region(code)) => {
            query = query.filter(departements::Column::RegionCode.eq(code.as_str()));
            format!("région {code}")
        }
        Scope::Territoire(Territoire::Departement(code)) => {
            query = query.filter(departements::Column::Code.eq(code.as_str()));
            format!("département {code}")
        }
        _ => return Err(AppError::Interdit),
    };
    Ok((query.all(db).await?, label))
}

/// The caller's territory as people read it: "France entière" (the team
/// too), "Région Hauts-de-France", "Département Nord (59)"; `departements`
/// are those [`territory`] gave.
pub async fn territoire_en_clair(
    db: &impl ConnectionTrait,
    caller: &Caller,
    departements: &[departements::Model],
) -> Result<String, AppError> {
    Ok(match &caller.scope {
        Scope::Territoire(Territoire::Region(code)) => {
            let nom = crate::db::entities::regions::Entity::find_by_id(code.clone()).one(db).await?.map(|r| r.nom);
            format!("Région {}", nom.unwrap_or_else(|| code.clone()))
        }
        Scope::Territoire(Territoire::Departement(code)) => {
            format!("Département {} ({code})", departements.first().map(|d| d.nom.clone()).unwrap_or_default())
        }
        _ => "France entière".to_string(),
    })
}

pub async fn list(db: &DatabaseConnection, caller: &Caller, filtres: &FiltresListe) -> Result<PageListe, AppError> {
    let (territoire, label) = territory(db, caller).await?;
    let codes: Vec<String> = territoire.iter().map(|d| d.code.clone()).collect();
    let mut query = liste_blanche::Entity::find().filter(entries_in(&codes));
    if let Some(kind) = filtres.kind.as_deref().filter(|k| !k.is_empty()) {
        if !TYPES.iter().any(|(k, _)| *k == kind) {
            return Err(AppError::Invalide(format!("Type inconnu : « {kind} ».")));
        }
        query = query.filter(liste_blanche::Column::Kind.eq(kind));
    }
    if let Some(q) = filtres.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        if q.chars().count() > 100 {
            return Err(AppError::Invalide("Recherche de 100 caractères au plus.".into()));
        }
        use liste_blanche::Column;
        query = query.filter(crate::db::chaque_mot_dans(q, &[Column::Nom, Column::Prenom, Column::Email, Column::Siret]));
    }
    let page = crate::rules::pagination::page_demandee(filtres.page.as_deref());
    let total = query.clone().count(db).await?;
    let rows = query
        .order_by_asc(liste_blanche::Column::Nom)
        .order_by_asc(liste_blanche::Column::Prenom)
        .order_by_asc(liste_blanche::Column::Id)
        .offset((page - 1) * PAR_PAGE)
        .limit(PAR_PAGE)
        .all(db)
        .await?;
    let ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
    let mut agrements: HashMap<i32, Vec<String>> = HashMap::new();
    for d in liste_blanche_departements::Entity::find()
        .filter(liste_blanche_departements::Column::ListeBlancheId.is_in(ids.clone()))
        .order_by_asc(liste_blanche_departements::Column::DepartementCode)
        .all(db)
        .await?
    {
        let text = if d.financeur { format!("{} (financeur)", d.departement_code) } else { d.departement_code };
        agrements.entry(d.liste_blanche_id).or_default().push(text);
    }
    let links: Vec<(i32, i32)> = liste_blanche_etablissements::Entity::find()
        .select_only()
        .columns([liste_blanche_etablissements::Column::ListeBlancheId, liste_blanche_etablissements::Column::EtablissementId])
        .filter(liste_blanche_etablissements::Column::ListeBlancheId.is_in(ids.clone()))
        .into_tuple()
        .all(db)
        .await?;
    let names: HashMap<i32, String> = etablissements::Entity::find()
        .filter(etablissements::Column::Id.is_in(links.iter().map(|(_, e)| *e).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, format!("{} ({})", e.nom, e.departement_code)))
        .collect();
    for (entry, etablissement) in links {
        agrements.entry(entry).or_default().push(names.get(&etablissement).cloned().unwrap_or_default());
    }
    let linked: Vec<i32> = gestionnaires::Entity::find()
        .select_only()
        .column(gestionnaires::Column::ListeBlancheId)
        .filter(gestionnaires::Column::ListeBlancheId.is_in(ids))
        .into_tuple::<Option<i32>>()
        .all(db)
        .await?
        .into_iter()
        .flatten()
        .collect();
    let lignes = rows
        .into_iter()
        .map(|r| LigneListe {
            id: r.id,
            type_label: TYPES.iter().find(|(k, _)| *k == r.kind).map(|(_, l)| l.to_string()).unwrap_or_default(),
            nom: crate::professionals::display_name(&r.kind, &r.nom, r.prenom.as_deref()),
            siret: r.siret,
            email: r.email,
            agrements: agrements.remove(&r.id).unwrap_or_default().join(", "),
            inscrit: linked.contains(&r.id),
        })
        .collect();
    Ok(PageListe { territoire: label, total, page, lignes })
}

/// The form for a new entry (`id` none) or one of the caller's territory.
pub async fn form(db: &DatabaseConnection, caller: &Caller, id: Option<i32>) -> Result<FormulaireEntree, AppError> {
    let (territoire, _) = territory(db, caller).await?;
    let codes: Vec<String> = territoire.iter().map(|d| d.code.clone()).collect();
    let etablissements = etablissements::Entity::find()
        .filter(etablissements::Column::DepartementCode.is_in(codes.clone()))
        .order_by_asc(etablissements::Column::DepartementCode)
        .order_by_asc(etablissements::Column::Nom)
        .all(db)
        .await?;
    let entree = match id {
        None => None,
        Some(id) => {
            let e = liste_blanche::Entity::find_by_id(id).filter(entries_in(&codes)).one(db).await?.ok_or(AppError::Introuvable)?;
            let deps = liste_blanche_departements::Entity::find()
                .filter(liste_blanche_departements::Column::ListeBlancheId.eq(id))
                .order_by_asc(liste_blanche_departements::Column::DepartementCode)
                .all(db)
                .await?;
            let linked: Vec<i32> = liste_blanche_etablissements::Entity::find()
                .filter(liste_blanche_etablissements::Column::ListeBlancheId.eq(id))
                .all(db)
                .await?
                .into_iter()
                .map(|l| l.etablissement_id)
                .collect();
            let mut ailleurs: Vec<String> = deps
                .iter()
                .filter(|d| !codes.contains(&d.departement_code))
                .map(|d| if d.financeur { format!("{} (financeur)", d.departement_code) } else { d.departement_code.clone() })
                .collect();
            ailleurs.extend(
                etablissements::Entity::find()
                    .filter(etablissements::Column::Id.is_in(linked.clone()))
                    .filter(etablissements::Column::DepartementCode.is_not_in(codes.clone()))
                    .all(db)
                    .await?
                    .into_iter()
                    .map(|e| format!("{} ({})", e.nom, e.departement_code)),
            );
            Some(Entree {
                id,
                kind: e.kind,
                nom: e.nom,
                prenom: e.prenom.unwrap_or_default(),
                siret: e.siret.unwrap_or_default(),
                email: e.email.unwrap_or_default(),
                departements: deps.iter().filter(|d| codes.contains(&d.departement_code)).map(|d| d.departement_code.clone()).collect(),
                financeur: deps.iter().find(|d| d.financeur && codes.contains(&d.departement_code)).map(|d| d.departement_code.clone()),
                etablissements: linked.iter().filter(|l| etablissements.iter().any(|e| e.id == **l)).map(|l| l.to_string()).collect(),
                ailleurs,
            })
        }
    };
    Ok(FormulaireEntree {
        entree,
        departements: territoire.into_iter().map(|d| (d.code.clone(), format!("{} — {}", d.code, d.nom))).collect(),
        etablissements: etablissements
            .into_iter()
            .map(|e| (e.id.to_string(), format!("{} — {} ({})", e.nom, e.code_postal, e.departement_code)))
            .collect(),
    })
}

/// Creates (`id` none) or updates an entry of the caller's territory, in
/// one transaction, audited with what changed. Returns its id.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn save(
    db: &DatabaseConnection,
    caller: &Caller,
    id: Option<i32>,
    demande: &DemandeEntree,
    ip: Option<String>,
) -> Result<i32, AppError> {
    let (territoire, _) = territory(db, caller).await?;
    let codes: Vec<String> = territoire.iter().map(|d| d.code.clone()).collect();
    // Another territory's entry is "not found", whatever the form says.
    if let Some(id) = id {
        liste_blanche::Entity::find_by_id(id).filter(entries_in(&codes)).one(db).await?.ok_or(AppError::Introuvable)?;
    }
    let valide = demande.validate()?;
    crate::db::retry_on_conflict(|| {
        let valide = &valide;
        let codes = &codes;
        let ip = ip.clone();
        async move {
            let codes = codes.to_vec();
            let field = |f: &str, m: &str| AppError::Champs(vec![(f.into(), m.into())]);
            if valide.departements.iter().any(|d| !codes.contains(d)) {
                return Err(field("departements", "Vous ne pouvez agréer que dans les départements de votre territoire."));
            }
            if !valide.etablissements.is_empty() {
                let found = etablissements::Entity::find()
                    .filter(etablissements::Column::Id.is_in(valide.etablissements.clone()))
                    .filter(etablissements::Column::DepartementCode.is_in(codes.clone()))
                    .count(db)
                    .await?;
                if found != valide.etablissements.len() as u64 {
                    return Err(field("etablissements", "Vous ne pouvez agréer que dans les établissements de votre territoire."));
                }
            }
            let now = chrono::Utc::now().fixed_offset();
            let tx = crate::db::begin(db).await?;
            // What other territories hold stays as it is.
            let (before, kept_departements, kept_etablissements, before_text) = match id {
                None => (None, Vec::new(), Vec::new(), String::new()),
                Some(id) => {
                    let e =
                        liste_blanche::Entity::find_by_id(id).filter(entries_in(&codes)).one(&tx).await?.ok_or(AppError::Introuvable)?;
                    if e.kind != valide.kind {
                        return Err(AppError::Invalide("Le type d'un agrément ne change pas : créez une nouvelle entrée.".into()));
                    }
                    let deps = liste_blanche_departements::Entity::find()
                        .filter(liste_blanche_departements::Column::ListeBlancheId.eq(id))
                        .all(&tx)
                        .await?;
                    let etabs: Vec<i32> = liste_blanche_etablissements::Entity::find()
                        .filter(liste_blanche_etablissements::Column::ListeBlancheId.eq(id))
                        .all(&tx)
                        .await?
                        .into_iter()
                        .map(|l| l.etablissement_id)
                        .collect();
                    let outside_etabs: Vec<i32> = etablissements::Entity::find()
                        .filter(etablissements::Column::Id.is_in(etabs.clone()))
                        .filter(etablissements::Column::DepartementCode.is_not_in(codes.clone()))
                        .all(&tx)
                        .await?
                        .into_iter()
                        .map(|e| e.id)
                        .collect();
                    let text = describe(&e.nom, e.prenom.as_deref(), e.siret.as_deref(), e.email.as_deref(), &deps, &etabs);
                    let kept = deps.into_iter().filter(|d| !codes.contains(&d.departement_code)).collect::<Vec<_>>();
                    (Some(e), kept, outside_etabs, text)
                }
            };
            let mut departements: Vec<(String, bool)> =
                kept_departements.iter().map(|d| (d.departement_code.clone(), d.financeur)).collect();
            for d in &valide.departements {
                departements.push((d.clone(), false));
            }
            // The financeur held by a département outside the caller's territory is
            // that territory's to move, not this direction's.
            let financeur_ailleurs = kept_departements.iter().find(|d| d.financeur).map(|d| d.departement_code.clone());
            if let (Some(ailleurs), Some(demande)) = (&financeur_ailleurs, &valide.financeur) {
                if ailleurs != demande {
                    return Err(field(
                        "financeur",
                        &format!(
                            "Le département financeur de cet agrément est le {ailleurs}, hors de votre territoire : seule la \
                     direction qui en a la charge ou l'équipe e-MJPM peut le changer. Laissez le choix du financeur vide."
                        ),
                    ));
                }
            }
            if valide.kind == "individuel" {
                match &valide.financeur {
                    Some(f) => departements.iter_mut().for_each(|(code, fin)| *fin = code == f),
                    None if departements.iter().any(|(_, fin)| *fin) => {}
                    // One département, all of it the caller's: it is the financeur
                    // (a one-département direction need not say so).
                    None if kept_departements.is_empty() && departements.len() == 1 => departements[0].1 = true,
                    None => return Err(field("financeur", "Choisissez le département financeur parmi les départements cochés.")),
                }
            } else {
                departements.iter_mut().for_each(|(_, fin)| *fin = false);
            }
            let mut etabs = kept_etablissements.clone();
            etabs.extend(valide.etablissements.iter().copied());
            match valide.kind.as_str() {
                "prepose" if etabs.is_empty() => return Err(field("etablissements", "Cochez au moins un établissement.")),
                "individuel" | "service" if departements.is_empty() => {
                    return Err(field("departements", "Cochez au moins un département d'agrément."))
                }
                _ => {}
            }
            let entry = match before {
                Some(e) => {
                    let mut row: liste_blanche::ActiveModel = e.into();
                    row.nom = Set(valide.nom.clone());
                    row.prenom = Set(valide.prenom.clone());
                    row.siret = Set(valide.siret.clone());
                    row.email = Set(valide.email.clone());
                    row.updated_at = Set(now);
                    row.update(&tx).await?
                }
                None => {
                    liste_blanche::ActiveModel {
                        kind: Set(valide.kind.clone()),
                        nom: Set(valide.nom.clone()),
                        prenom: Set(valide.prenom.clone()),
                        siret: Set(valide.siret.clone()),
                        email: Set(valide.email.clone()),
                        created_at: Set(now),
                        updated_at: Set(now),
                        ..Default::default()
                    }
                    .insert(&tx)
                    .await?
                }
            };
            liste_blanche_departements::Entity::delete_many()
                .filter(liste_blanche_departements::Column::ListeBlancheId.eq(entry.id))
                .exec(&tx)
                .await?;
            let mut rows = Vec::new();
            for (code, financeur) in &departements {
                let row = liste_blanche_departements::ActiveModel {
                    liste_blanche_id: Set(entry.id),
                    departement_code: Set(code.clone()),
                    financeur: Set(*financeur),
                };
                row.clone().insert(&tx).await?;
                rows.push(liste_blanche_departements::Model {
                    liste_blanche_id: entry.id,
                    departement_code: code.clone(),
                    financeur: *financeur,
                });
            }
            liste_blanche_etablissements::Entity::delete_many()
                .filter(liste_blanche_etablissements::Column::ListeBlancheId.eq(entry.id))
                .exec(&tx)
                .await?;
            for etablissement in &etabs {
                liste_blanche_etablissements::ActiveModel { liste_blanche_id: Set(entry.id), etablissement_id: Set(*etablissement) }
                    .insert(&tx)
                    .await?;
            }
            let after = describe(&entry.nom, entry.prenom.as_deref(), entry.siret.as_deref(), entry.email.as_deref(), &rows, &etabs);
            let summary = if id.is_some() { format!("{before_text} → {after}") } else { after };
            AuditEvent::by(caller, if id.is_some() { "liste_blanche.modification" } else { "liste_blanche.creation" })
                .target("liste_blanche", entry.id)
                .summary(summary)
                .ip(ip)
                .record(&tx)
                .await;
            tx.commit().await?;
            Ok(entry.id)
        }
    })
    .await
}

fn describe(
    nom: &str,
    prenom: Option<&str>,
    siret: Option<&str>,
    email: Option<&str>,
    deps: &[liste_blanche_departements::Model],
    etabs: &[i32],
) -> String {
    let mut codes: Vec<String> =
        deps.iter().map(|d| if d.financeur { format!("{}*", d.departement_code) } else { d.departement_code.clone() }).collect();
    codes.sort();
    let mut etabs = etabs.to_vec();
    etabs.sort_unstable();
    format!(
        "{} {nom}, SIRET {}, {} ; départements [{}] ; établissements {etabs:?}",
        prenom.unwrap_or(""),
        siret.unwrap_or("-"),
        email.unwrap_or("-"),
        codes.join(", ")
    )
}
