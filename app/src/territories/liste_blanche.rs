//! The liste blanche (approvals) as the State keeps it: a direction lists,
//! creates and edits the approved individuels (départements, one financeur),
//! préposés (établissements) and services (départements) **of its territory
//! only**; administrators everywhere. An entry is in a territory when one of
//! its départements (or its établissements' départements) is. A direction
//! never sees nor changes what lies outside: départements and établissements
//! of other territories are kept as they are when it saves.

use crate::errors::AppError;
use crate::rules::contact;
use serde::{Deserialize, Serialize};

pub const PAR_PAGE: u64 = 50;
pub const NOM_MAX: usize = 100;
pub const TYPES: [(&str, &str); 3] =
    [("individuel", "Mandataire individuel"), ("prepose", "Préposé d'établissement"), ("service", "Service mandataire")];

/// One entry in the list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LigneListe {
    pub id: i32,
    pub type_label: String,
    pub nom: String,
    pub siret: Option<String>,
    pub email: Option<String>,
    /// "59 (financeur), 62".
    pub agrements: String,
    /// A gestionnaire of e-MJPM is linked to it (the professional signed up).
    pub inscrit: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PageListe {
    pub territoire: String,
    pub total: u64,
    pub page: u64,
    pub lignes: Vec<LigneListe>,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct FiltresListe {
    pub q: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub page: Option<String>,
}

/// The edit form's content: the entry (none for a new one) and what the
/// caller may tick.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FormulaireEntree {
    pub entree: Option<Entree>,
    /// (code, "59 — Nord") of the caller's territory.
    pub departements: Vec<(String, String)>,
    /// (id, "CHU de Lille — 59000 (59)") located in the territory.
    pub etablissements: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entree {
    pub id: i32,
    pub kind: String,
    pub nom: String,
    pub prenom: String,
    pub siret: String,
    pub email: String,
    /// Its départements within the territory, and the financeur among them.
    pub departements: Vec<String>,
    pub financeur: Option<String>,
    pub etablissements: Vec<String>,
    /// What other territories hold ("62 (financeur)"), shown, never changed here.
    pub ailleurs: Vec<String>,
}

/// What the form sends.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DemandeEntree {
    pub kind: String,
    pub nom: String,
    pub prenom: String,
    pub siret: String,
    pub email: String,
    pub departements: Vec<String>,
    pub financeur: String,
    pub etablissements: Vec<String>,
}

/// A form that passed the checks needing no database.
#[derive(Clone, Debug, PartialEq)]
pub struct EntreeValide {
    pub kind: String,
    pub nom: String,
    pub prenom: Option<String>,
    pub siret: Option<String>,
    pub email: Option<String>,
    pub departements: Vec<String>,
    pub financeur: Option<String>,
    pub etablissements: Vec<i32>,
}

impl DemandeEntree {
    pub fn validate(&self) -> Result<EntreeValide, AppError> {
        let mut errors: Vec<(String, String)> = Vec::new();
        let mut refuse = |field: &str, message: &str| errors.push((field.to_string(), message.to_string()));
        let kind = self.kind.trim().to_string();
        if !TYPES.iter().any(|(k, _)| *k == kind) {
            return Err(AppError::Invalide("Type d'agrément inconnu : individuel, préposé ou service.".into()));
        }
        let person = kind != "service";
        let nom = self.nom.trim().to_string();
        if nom.is_empty() {
            refuse("nom", if person { "Indiquez le nom du mandataire." } else { "Indiquez le nom du service." });
        } else if nom.chars().count() > NOM_MAX {
            refuse("nom", "Le nom compte au plus 100 caractères.");
        }
        let prenom = Some(self.prenom.trim().to_string()).filter(|p| !p.is_empty() && person);
        if person && prenom.is_none() {
            refuse("prenom", "Indiquez le prénom du mandataire.");
        } else if prenom.as_ref().is_some_and(|p| p.chars().count() > NOM_MAX) {
            refuse("prenom", "Le prénom compte au plus 100 caractères.");
        }
        let siret: String = self.siret.chars().filter(|c| !c.is_whitespace()).collect();
        let siret = Some(siret).filter(|s| !s.is_empty() && kind != "prepose");
        match &siret {
            None if kind == "individuel" => refuse("siret", "Indiquez le SIRET du mandataire individuel (14 chiffres)."),
            Some(s) if !crate::rules::siret::is_valid_siret(s) => {
                refuse("siret", "Ce numéro SIRET n'est pas valide : vérifiez ses 14 chiffres.")
            }
            _ => {}
        }
        let email = match self.email.trim() {
            "" => None,
            typed => contact::email(typed).map(|e| e.to_lowercase()).map_err(|m| refuse("email", m)).ok(),
        };
        let mut departements: Vec<String> = Vec::new();
        let mut etablissements: Vec<i32> = Vec::new();
        let financeur = Some(self.financeur.trim().to_string()).filter(|f| !f.is_empty() && kind == "individuel");
        if kind == "prepose" {
            for e in &self.etablissements {
                match e.trim().parse::<i32>() {
                    Ok(id) if !etablissements.contains(&id) => etablissements.push(id),
                    Ok(_) => {}
                    Err(_) => refuse("etablissements", "Un des établissements choisis n'existe pas : rechargez la page."),
                }
            }
        } else {
            for d in self.departements.iter().map(|d| d.trim()).filter(|d| !d.is_empty()) {
                if !departements.iter().any(|k| k == d) {
                    departements.push(d.to_string());
                }
            }
            if financeur.as_ref().is_some_and(|f| !departements.contains(f)) {
                refuse("financeur", "Le département financeur doit être l'un des départements cochés.");
            }
        }
        if errors.is_empty() {
            Ok(EntreeValide { kind, nom, prenom, siret, email, departements, financeur, etablissements })
        } else {
            Err(AppError::Champs(errors))
        }
    }
}

#[cfg(feature = "ssr")]
pub use server::*;

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::accounts::guard::{Caller, Scope, Territoire};
    use crate::audit::AuditEvent;
    use crate::db::entities::{
        departements, etablissements, gestionnaires, liste_blanche, liste_blanche_departements, liste_blanche_etablissements,
    };
    use crate::rules::roles::Role;
    use crate::territories::approvals::entries_in;
    use sea_orm::{
        ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
        QuerySelect, Set,
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
        let page = filtres.page.as_deref().and_then(|p| p.parse::<u64>().ok()).unwrap_or(1).clamp(1, 1_000_000);
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
                        let e = liste_blanche::Entity::find_by_id(id)
                            .filter(entries_in(&codes))
                            .one(&tx)
                            .await?
                            .ok_or(AppError::Introuvable)?;
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
}

#[cfg(test)]
mod tests {
    use super::*;

    fn individuel() -> DemandeEntree {
        DemandeEntree {
            kind: "individuel".into(),
            nom: " Lambert ".into(),
            prenom: "Camille".into(),
            siret: "732 829 320 00074".into(),
            email: "Camille@Exemple.fr".into(),
            departements: vec!["59".into(), "62".into(), "59".into()],
            financeur: "62".into(),
            etablissements: vec!["3".into()],
        }
    }

    #[test]
    fn an_individuel_has_a_siret_departements_and_a_financeur_among_them() {
        let v = individuel().validate().expect("valide");
        assert_eq!(v.nom, "Lambert");
        assert_eq!(v.siret.as_deref(), Some("73282932000074"));
        assert_eq!(v.email.as_deref(), Some("camille@exemple.fr"));
        assert_eq!(v.departements, ["59", "62"]);
        assert_eq!(v.financeur.as_deref(), Some("62"));
        assert!(v.etablissements.is_empty(), "an individuel has no établissement");
        let fields = |d: DemandeEntree| match d.validate() {
            Err(AppError::Champs(c)) => c.into_iter().map(|(f, _)| f).collect::<Vec<_>>(),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            fields(DemandeEntree { financeur: "75".into(), siret: "1".into(), prenom: " ".into(), ..individuel() }),
            ["prenom", "siret", "financeur"]
        );
    }

    #[test]
    fn a_service_has_no_first_name_nor_financeur_and_a_prepose_establishments() {
        let s = DemandeEntree { kind: "service".into(), siret: String::new(), ..individuel() }.validate().expect("service");
        assert_eq!((s.prenom, s.financeur, s.siret), (None, None, None));
        let p = DemandeEntree { kind: "prepose".into(), etablissements: vec!["3".into(), "x".into()], ..individuel() }.validate();
        assert!(matches!(p, Err(AppError::Champs(c)) if c[0].0 == "etablissements"));
        let p = DemandeEntree { kind: "prepose".into(), ..individuel() }.validate().expect("préposé");
        assert_eq!((p.etablissements, p.departements, p.siret), (vec![3], vec![], None));
        assert!(matches!(DemandeEntree { kind: "autre".into(), ..individuel() }.validate(), Err(AppError::Invalide(_))));
    }
}
