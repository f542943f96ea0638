//! Signing up (`/inscription`) and the administrators' decision on it.
//!
//! A sign-up opens an **inactive** account with its role's attachment — the
//! individuel's or préposé's own gestionnaire (not approved: outside every
//! search until it is linked to its liste blanche entry), the service joined,
//! the tribunal, the direction's territory — and a row in `inscriptions` that
//! says it waits. The administrators are mailed. One of them validates it
//! (linking an individuel or a préposé to its liste blanche entry, proposed by
//! SIRET, e-mail, name or établissement) or refuses it with a reason (the
//! account and what it created are deleted, so the person can sign up again).
//! The person is told by e-mail either way.
//!
//! The page answers the same whether the address already has an account or
//! not (that address is mailed instead): nobody learns who is registered.

use crate::errors::AppError;
use crate::rules::contact;
use crate::rules::roles::Role;
use serde::{Deserialize, Serialize};

/// The roles one can sign up for (administrators are named by administrators).
pub const ROLES: [Role; 6] = [Role::Individuel, Role::Prepose, Role::Service, Role::Magistrat, Role::Greffier, Role::Direction];
pub const NOM_MAX: usize = 100;
pub const ADRESSE_MAX: usize = 200;
pub const MOTIF_MAX: usize = 1000;
/// Sign-ups accepted from one IP address per hour.
pub const PAR_IP_PAR_HEURE: u64 = 10;
/// Direction kinds and how they are named.
pub const DIRECTIONS: [(&str, &str); 3] =
    [("departemental", "Départementale (DDETS)"), ("regional", "Régionale (DREETS)"), ("national", "Nationale (DGCS)")];

/// What the sign-up form sends (every field of every role; each role reads its own).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DemandeInscription {
    pub role: String,
    pub prenom: String,
    pub nom: String,
    pub email: String,
    pub telephone: String,
    pub mot_de_passe: String,
    pub confirmation: String,
    pub siret: String,
    pub adresse: String,
    pub commune: String,
    pub mesures_max: Option<i32>,
    pub tribunaux: Vec<String>,
    pub etablissement_id: Option<i32>,
    pub service_id: Option<i32>,
    pub tribunal_id: Option<i32>,
    pub cabinet: String,
    pub direction_type: String,
    pub region_code: String,
    pub departement_code: String,
    pub structure: String,
}

/// A sign-up that passed the checks needing no database.
#[derive(Clone, Debug, PartialEq)]
pub struct InscriptionValide {
    pub role: Role,
    pub prenom: String,
    pub nom: String,
    pub email: String,
    pub telephone: Option<String>,
    pub mot_de_passe: String,
    pub detail: Detail,
}

/// What each role adds.
#[derive(Clone, Debug, PartialEq)]
pub enum Detail {
    Individuel { siret: String, adresse: String, commune: String, mesures_max: i32, tribunaux: Vec<i32> },
    Prepose { etablissement_id: i32, mesures_max: i32 },
    Service { service_id: i32 },
    Juridiction { tribunal_id: i32, cabinet: Option<String> },
    Direction { kind: String, region_code: Option<String>, departement_code: Option<String>, structure: String },
}

impl DemandeInscription {
    pub fn validate(&self) -> Result<InscriptionValide, AppError> {
        let mut errors: Vec<(String, String)> = Vec::new();
        let mut refuse = |field: &str, message: String| errors.push((field.to_string(), message));
        let role = match Role::parse(&self.role).filter(|r| ROLES.contains(r)) {
            Some(role) => role,
            None => return Err(AppError::Invalide("Choisissez d'abord votre profil dans la liste.".into())),
        };
        let text = |field: &str, value: &str, missing: &str, max: usize, refuse: &mut dyn FnMut(&str, String)| {
            let value = value.trim().to_string();
            if value.is_empty() {
                refuse(field, missing.to_string());
            } else if value.chars().count() > max {
                refuse(field, format!("{max} caractères au plus."));
            }
            value
        };
        let prenom = text("prenom", &self.prenom, "Indiquez votre prénom.", NOM_MAX, &mut refuse);
        let nom = text("nom", &self.nom, "Indiquez votre nom.", NOM_MAX, &mut refuse);
        let email = contact::email(&self.email).map(|e| e.to_lowercase()).map_err(|m| refuse("email", m.into())).unwrap_or_default();
        // A professional's telephone is shown to the judges: required.
        let professional = matches!(role, Role::Individuel | Role::Prepose);
        let telephone = if self.telephone.trim().is_empty() && !professional {
            None
        } else {
            contact::telephone(&self.telephone).map_err(|m| refuse("telephone", m.into())).ok()
        };
        for (field, message) in crate::rules::password_policy::refus_nouveau(&self.mot_de_passe, &self.confirmation, &email) {
            refuse(&field, message);
        }
        let mesures_max = |refuse: &mut dyn FnMut(&str, String)| match self.mesures_max {
            Some(n) if (0..=crate::professionals::capacite::MESURES_MAX_LIMITE).contains(&n) => n,
            Some(_) => {
                refuse(
                    "mesures_max",
                    format!(
                        "Le nombre de mesures souhaitées est compris entre 0 et {}.",
                        crate::professionals::capacite::MESURES_MAX_LIMITE
                    ),
                );
                0
            }
            None => {
                refuse("mesures_max", "Indiquez le nombre de mesures que vous souhaitez suivre.".into());
                0
            }
        };
        let detail = match role {
            Role::Individuel => {
                let siret: String = self.siret.chars().filter(|c| !c.is_whitespace()).collect();
                if siret.is_empty() {
                    refuse("siret", "Indiquez votre numéro SIRET (14 chiffres).".into());
                } else if !crate::rules::siret::is_valid_siret(&siret) {
                    refuse("siret", "Ce numéro SIRET n'est pas valide : vérifiez ses 14 chiffres.".into());
                }
                let adresse =
                    text("adresse", &self.adresse, "Indiquez l'adresse (numéro et voie) de votre activité.", ADRESSE_MAX, &mut refuse);
                let commune =
                    text("commune", &self.commune, "Indiquez la commune de votre adresse (nom ou code postal).", NOM_MAX, &mut refuse);
                let mesures_max = mesures_max(&mut refuse);
                let mut tribunaux = Vec::new();
                for t in self.tribunaux.iter().filter(|t| !t.is_empty()) {
                    match t.parse::<i32>() {
                        Ok(id) if !tribunaux.contains(&id) => tribunaux.push(id),
                        Ok(_) => {}
                        Err(_) => {
                            refuse("tribunaux", "Un des tribunaux choisis n'existe pas : rechargez la page.".into());
                            break;
                        }
                    }
                }
                Detail::Individuel { siret, adresse, commune, mesures_max, tribunaux }
            }
            Role::Prepose => {
                let mesures_max = mesures_max(&mut refuse);
                if self.etablissement_id.is_none() {
                    refuse("etablissement_id", "Choisissez l'établissement qui vous emploie.".into());
                }
                Detail::Prepose { etablissement_id: self.etablissement_id.unwrap_or_default(), mesures_max }
            }
            Role::Service => {
                if self.service_id.is_none() {
                    refuse("service_id", "Choisissez le service que vous rejoignez.".into());
                }
                Detail::Service { service_id: self.service_id.unwrap_or_default() }
            }
            Role::Magistrat | Role::Greffier => {
                if self.tribunal_id.is_none() {
                    refuse("tribunal_id", "Choisissez votre tribunal.".into());
                }
                let cabinet = Some(self.cabinet.trim().to_string()).filter(|c| !c.is_empty());
                if cabinet.as_ref().is_some_and(|c| c.chars().count() > crate::measures::reservation::CABINET_MAX) {
                    refuse("cabinet", format!("Le cabinet compte au plus {} caractères.", crate::measures::reservation::CABINET_MAX));
                }
                Detail::Juridiction { tribunal_id: self.tribunal_id.unwrap_or_default(), cabinet }
            }
            Role::Direction | Role::Admin => {
                match territoire_direction(&self.direction_type, &self.region_code, &self.departement_code, &self.structure) {
                    Ok(detail) => detail,
                    Err(champs) => {
                        for (field, message) in champs {
                            refuse(&field, message);
                        }
                        Detail::Direction { kind: String::new(), region_code: None, departement_code: None, structure: String::new() }
                    }
                }
            }
        };
        if errors.is_empty() {
            Ok(InscriptionValide { role, prenom, nom, email, telephone, mot_de_passe: self.mot_de_passe.clone(), detail })
        } else {
            Err(AppError::Champs(errors))
        }
    }
}

/// A direction's level and territory (national; régional with its région;
/// départemental with its département) and its name: the one rule for a
/// sign-up and for an administrator moving a direction.
pub fn territoire_direction(kind: &str, region: &str, departement: &str, structure: &str) -> Result<Detail, Vec<(String, String)>> {
    let mut errors: Vec<(String, String)> = Vec::new();
    let kind = kind.trim().to_string();
    let code = |typed: &str| Some(typed.trim().to_string()).filter(|c| !c.is_empty());
    let (region_code, departement_code) = match kind.as_str() {
        "national" => (None, None),
        "regional" => (code(region), None),
        "departemental" => (None, code(departement)),
        _ => {
            errors.push(("direction_type".into(), "Choisissez le niveau de la direction.".into()));
            (None, None)
        }
    };
    if kind == "regional" && region_code.is_none() {
        errors.push(("region_code".into(), "Choisissez la région de la direction.".into()));
    }
    if kind == "departemental" && departement_code.is_none() {
        errors.push(("departement_code".into(), "Choisissez le département de la direction.".into()));
    }
    let structure = structure.trim().to_string();
    if structure.is_empty() {
        errors.push(("structure".into(), "Indiquez le nom de la direction (par exemple « DDETS du Nord »).".into()));
    } else if structure.chars().count() > NOM_MAX {
        errors.push(("structure".into(), format!("{NOM_MAX} caractères au plus.")));
    }
    if errors.is_empty() {
        Ok(Detail::Direction { kind, region_code, departement_code, structure })
    } else {
        Err(errors)
    }
}

/// What the sign-up form offers for a role (public lists).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ChoixInscription {
    /// (id, "Nom (département)").
    pub tribunaux: Vec<(String, String)>,
    pub etablissements: Vec<(String, String)>,
    pub services: Vec<(String, String)>,
    pub regions: Vec<(String, String)>,
    pub departements: Vec<(String, String)>,
}

/// A sign-up waiting, as the administrators see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InscriptionEnAttente {
    pub user_id: i32,
    pub role: String,
    pub role_label: String,
    pub nom: String,
    pub email: String,
    pub telephone: Option<String>,
    /// "28/11/2026 à 09:12" (Paris).
    pub demandee_le: String,
    /// What was declared, line by line (label, value).
    pub details: Vec<(String, String)>,
    /// Whether the account is linked to a liste blanche entry at validation.
    pub rattachable: bool,
    pub candidats: Vec<Candidat>,
}

/// A liste blanche entry an individuel or préposé may be linked to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Candidat {
    pub id: i32,
    pub nom: String,
    /// Why it is proposed ("même SIRET", "même adresse électronique"…).
    pub raisons: Vec<String>,
    /// Where it is approved ("59, 62" or établissements).
    pub agrements: String,
}

#[cfg(feature = "ssr")]
pub use server::*;

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::accounts::guard::Caller;
    use crate::audit::{record, AuditEvent};
    use crate::db::entities::{
        departements, directions, etablissements, gestionnaire_membres, gestionnaire_tribunaux, gestionnaires, greffiers, inscriptions,
        liste_blanche, liste_blanche_etablissements, magistrats, regions, tribunaux, users,
    };
    use crate::notifications::{self, messages};
    use crate::territories::approvals::approved_departements_of;
    use sea_orm::sea_query::Expr;
    use sea_orm::{
        ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, ExprTrait,
        PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    };

    /// The lists the form needs for `role` (nothing for an unknown role).
    pub async fn choices(db: &DatabaseConnection, role: Option<Role>) -> Result<ChoixInscription, AppError> {
        let mut out = ChoixInscription::default();
        match role {
            Some(Role::Individuel | Role::Magistrat | Role::Greffier) => {
                out.tribunaux = tribunaux::Entity::find()
                    .order_by_asc(tribunaux::Column::DepartementCode)
                    .order_by_asc(tribunaux::Column::Nom)
                    .all(db)
                    .await?
                    .into_iter()
                    .map(|t| (t.id.to_string(), format!("{} ({})", t.nom, t.departement_code)))
                    .collect();
            }
            Some(Role::Prepose) => {
                out.etablissements = etablissements::Entity::find()
                    .order_by_asc(etablissements::Column::DepartementCode)
                    .order_by_asc(etablissements::Column::Nom)
                    .all(db)
                    .await?
                    .into_iter()
                    .map(|e| (e.id.to_string(), format!("{} — {} ({})", e.nom, e.code_postal, e.departement_code)))
                    .collect();
            }
            Some(Role::Service) => {
                out.services = gestionnaires::Entity::find()
                    .filter(gestionnaires::Column::Kind.eq("service"))
                    .filter(gestionnaires::Column::ListeBlancheId.is_not_null())
                    .order_by_asc(gestionnaires::Column::DepartementCode)
                    .order_by_asc(gestionnaires::Column::Nom)
                    .all(db)
                    .await?
                    .into_iter()
                    .map(|g| (g.id.to_string(), format!("{} ({})", g.nom, g.departement_code)))
                    .collect();
            }
            Some(Role::Direction) => {
                out.regions = regions::Entity::find()
                    .order_by_asc(regions::Column::Nom)
                    .all(db)
                    .await?
                    .into_iter()
                    .map(|r| (r.code.clone(), r.nom))
                    .collect();
                out.departements = departements::Entity::find()
                    .order_by_asc(departements::Column::Code)
                    .all(db)
                    .await?
                    .into_iter()
                    .map(|d| (d.code.clone(), format!("{} — {}", d.code, d.nom)))
                    .collect();
            }
            _ => {}
        }
        Ok(out)
    }

    fn champ(field: &str, message: &str) -> AppError {
        AppError::Champs(vec![(field.into(), message.into())])
    }

    /// Records a sign-up. `Ok` whether or not the address already had an
    /// account (it is then mailed instead), after the same work.
    pub async fn submit(db: &DatabaseConnection, demande: &DemandeInscription, base_url: &str, ip: Option<String>) -> Result<(), AppError> {
        let since = (chrono::Utc::now() - chrono::Duration::hours(1)).fixed_offset();
        if let Some(ip) = ip.as_deref() {
            let recent = crate::db::entities::audit_events::Entity::find()
                .filter(crate::db::entities::audit_events::Column::Action.eq("inscription.demande"))
                .filter(crate::db::entities::audit_events::Column::Ip.eq(ip))
                .filter(crate::db::entities::audit_events::Column::At.gt(since))
                .count(db)
                .await?;
            if recent >= PAR_IP_PAR_HEURE {
                return Err(AppError::Conflit(
                    "Trop de demandes d'inscription viennent de cette adresse réseau : réessayez dans une heure.".into(),
                ));
            }
        }
        // The commune is looked up whatever the other fields hold, so that every
        // error is said at once (not the commune's in a second round). No place
        // known yet: an ambiguous name asks for the postal code.
        let commune = match Role::parse(demande.role.trim()) {
            Some(Role::Individuel) if !demande.commune.trim().is_empty() => {
                Some(crate::search::communes::place(db, &demande.commune, &Default::default()).await)
            }
            _ => None,
        };
        let (valide, located) = match (demande.validate(), commune) {
            (Ok(valide), None) => (valide, None),
            (Ok(valide), Some(Ok(place))) => (valide, Some(place)),
            (Err(AppError::Champs(mut champs)), Some(Err(AppError::Champs(autres)))) => {
                champs.extend(autres);
                return Err(AppError::Champs(champs));
            }
            (Ok(_), Some(Err(error))) | (Err(error), _) => return Err(error),
        };
        check_references(db, &valide).await?;
        // Hashed in every case: an existing address costs the same time.
        let password_hash = crate::accounts::password::hash_password(&valide.mot_de_passe).map_err(AppError::interne)?;
        // A concurrent writer (SQLite) or a deadlock (PostgreSQL): run it again.
        crate::db::retry_on_conflict(|| store(db, &valide, password_hash.clone(), located.clone(), base_url, ip.clone())).await
    }

    /// The sign-up's writes, in one transaction.
    async fn store(
        db: &DatabaseConnection,
        valide: &InscriptionValide,
        password_hash: String,
        located: Option<(crate::search::communes::CommuneSuggestion, String)>,
        base_url: &str,
        ip: Option<String>,
    ) -> Result<(), AppError> {
        let now = chrono::Utc::now();
        let tx = crate::db::begin(db).await?;
        let existing = users::Entity::find().filter(users::Column::Email.eq(valide.email.as_str())).one(&tx).await?;
        let user_id = match existing {
            Some(_) => None,
            None => create(&tx, valide, password_hash, located, now).await?,
        };
        match user_id {
            Some(_) => {
                notifications::enqueue(
                    &tx,
                    messages::inscription_recue(valide.role.label(), &format!("{base_url}/connexion")).pour(&valide.email),
                )
                .await?;
                let message = messages::inscription_a_valider(
                    &format!("{} {}", valide.prenom, valide.nom),
                    valide.role.label(),
                    &format!("{base_url}/admin/inscriptions"),
                );
                let admins: Vec<String> = users::Entity::find()
                    .filter(users::Column::Role.eq(Role::Admin.as_str()))
                    .filter(users::Column::Active.eq(true))
                    .all(&tx)
                    .await?
                    .into_iter()
                    .map(|u| u.email)
                    .collect();
                for admin in admins {
                    notifications::enqueue(&tx, message.pour(&admin)).await?;
                }
            }
            None => {
                let lien = format!("{base_url}/mot-de-passe-oublie");
                notifications::enqueue(&tx, messages::inscription_adresse_connue(&lien).pour(&valide.email)).await?;
            }
        }
        let event = AuditEvent {
            actor_user_id: None,
            role: None,
            action: "inscription.demande",
            target: user_id.map(|id| ("user", id.to_string())),
            summary: Some(format!(
                "{} <{}>{}",
                valide.role.as_str(),
                valide.email,
                if user_id.is_none() { " : adresse déjà inscrite, prévenue par courriel" } else { "" }
            )),
            ip,
        };
        record(&tx, event).await;
        tx.commit().await?;
        Ok(())
    }

    /// The tribunal, établissement, service, région or département chosen exists.
    async fn check_references(db: &DatabaseConnection, valide: &InscriptionValide) -> Result<(), AppError> {
        match &valide.detail {
            Detail::Individuel { tribunaux: chosen, .. } if !chosen.is_empty() => {
                let found = tribunaux::Entity::find().filter(tribunaux::Column::Id.is_in(chosen.clone())).count(db).await?;
                if found != chosen.len() as u64 {
                    return Err(champ("tribunaux", "Un des tribunaux choisis n'existe pas : rechargez la page."));
                }
            }
            Detail::Prepose { etablissement_id, .. } if etablissements::Entity::find_by_id(*etablissement_id).one(db).await?.is_none() => {
                return Err(champ("etablissement_id", "Cet établissement n'existe pas : choisissez-le dans la liste."));
            }
            Detail::Service { service_id } => {
                let service = gestionnaires::Entity::find_by_id(*service_id).one(db).await?;
                if !service.is_some_and(|g| g.kind == "service" && g.liste_blanche_id.is_some()) {
                    return Err(champ("service_id", "Ce service n'existe pas : choisissez-le dans la liste."));
                }
            }
            Detail::Juridiction { tribunal_id, .. } if tribunaux::Entity::find_by_id(*tribunal_id).one(db).await?.is_none() => {
                return Err(champ("tribunal_id", "Ce tribunal n'existe pas : choisissez-le dans la liste."));
            }
            detail @ Detail::Direction { .. } => territory_exists(db, detail).await?,
            _ => {}
        }
        Ok(())
    }

    /// The région or département of a direction exists.
    pub async fn territory_exists(db: &impl ConnectionTrait, detail: &Detail) -> Result<(), AppError> {
        match detail {
            Detail::Direction { region_code: Some(code), .. } if regions::Entity::find_by_id(code.clone()).one(db).await?.is_none() => {
                return Err(champ("region_code", "Cette région n'existe pas : choisissez-la dans la liste."));
            }
            Detail::Direction { departement_code: Some(code), .. }
                if departements::Entity::find_by_id(code.clone()).one(db).await?.is_none() =>
            {
                return Err(champ("departement_code", "Ce département n'existe pas : choisissez-le dans la liste."));
            }
            _ => {}
        }
        Ok(())
    }

    /// The inactive account, its attachment and its waiting row; `None` when
    /// the address was taken meanwhile (same answer as an existing one).
    async fn create(
        tx: &DatabaseTransaction,
        valide: &InscriptionValide,
        password_hash: String,
        located: Option<(crate::search::communes::CommuneSuggestion, String)>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Option<i32>, AppError> {
        let user = match (users::ActiveModel {
            email: Set(valide.email.clone()),
            password_hash: Set(password_hash),
            role: Set(valide.role.as_str().to_string()),
            prenom: Set(valide.prenom.clone()),
            nom: Set(valide.nom.clone()),
            telephone: Set(valide.telephone.clone()),
            active: Set(false),
            notifier_acceptation: Set(false),
            created_at: Set(now.fixed_offset()),
            updated_at: Set(now.fixed_offset()),
            ..Default::default()
        })
        .insert(tx)
        .await
        {
            Ok(user) => user,
            Err(err) if matches!(err.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_))) => return Ok(None),
            Err(err) => return Err(err.into()),
        };
        let mut etablissement_id = None;
        let own_gestionnaire = |kind: &str, siret: Option<String>, mesures_max: i32| gestionnaires::ActiveModel {
            kind: Set(kind.to_string()),
            nom: Set(valide.nom.clone()),
            prenom: Set(Some(valide.prenom.clone())),
            siret: Set(siret),
            email: Set(valide.email.clone()),
            telephone: Set(valide.telephone.clone().unwrap_or_default()),
            suspendu: Set(false),
            motif_suspension: Set(None),
            natures_acceptees: Set(String::new()),
            competences: Set(String::new()),
            liste_blanche_id: Set(None),
            created_at: Set(now.fixed_offset()),
            updated_at: Set(now.fixed_offset()),
            mesures_max: Set(mesures_max),
            en_cours: Set(0),
            en_attente: Set(0),
            derniere_mise_a_jour: Set(now.fixed_offset()),
            ..Default::default()
        };
        match &valide.detail {
            Detail::Individuel { siret, adresse, mesures_max, tribunaux, .. } => {
                let (commune, code_postal) = located.ok_or_else(|| AppError::interne("commune non située"))?;
                let mut g = own_gestionnaire("individuel", Some(siret.clone()), *mesures_max);
                g.adresse = Set(adresse.clone());
                g.code_postal = Set(code_postal);
                g.commune_code = Set(commune.code);
                g.departement_code = Set(commune.departement);
                g.latitude = Set(commune.latitude);
                g.longitude = Set(commune.longitude);
                let g = g.insert(tx).await?;
                gestionnaire_membres::ActiveModel { user_id: Set(user.id), gestionnaire_id: Set(g.id), admin: Set(true) }
                    .insert(tx)
                    .await?;
                // Kept as declared; validation keeps those of its approved départements.
                for tribunal_id in tribunaux {
                    gestionnaire_tribunaux::ActiveModel { gestionnaire_id: Set(g.id), tribunal_id: Set(*tribunal_id) }.insert(tx).await?;
                }
            }
            Detail::Prepose { etablissement_id: id, mesures_max } => {
                let e = etablissements::Entity::find_by_id(*id).one(tx).await?.ok_or(AppError::Introuvable)?;
                let mut g = own_gestionnaire("prepose", None, *mesures_max);
                g.adresse = Set(e.adresse);
                g.code_postal = Set(e.code_postal);
                g.commune_code = Set(e.commune_code);
                g.departement_code = Set(e.departement_code);
                g.latitude = Set(e.latitude);
                g.longitude = Set(e.longitude);
                let g = g.insert(tx).await?;
                gestionnaire_membres::ActiveModel { user_id: Set(user.id), gestionnaire_id: Set(g.id), admin: Set(true) }
                    .insert(tx)
                    .await?;
                etablissement_id = Some(*id);
            }
            Detail::Service { service_id } => {
                gestionnaire_membres::ActiveModel { user_id: Set(user.id), gestionnaire_id: Set(*service_id), admin: Set(false) }
                    .insert(tx)
                    .await?;
            }
            Detail::Juridiction { tribunal_id, cabinet } => {
                if valide.role == Role::Magistrat {
                    magistrats::ActiveModel { user_id: Set(user.id), tribunal_id: Set(*tribunal_id), cabinet: Set(cabinet.clone()) }
                        .insert(tx)
                        .await?;
                } else {
                    greffiers::ActiveModel { user_id: Set(user.id), tribunal_id: Set(*tribunal_id), cabinet: Set(cabinet.clone()) }
                        .insert(tx)
                        .await?;
                }
            }
            Detail::Direction { kind, region_code, departement_code, structure } => {
                directions::ActiveModel {
                    user_id: Set(user.id),
                    kind: Set(kind.clone()),
                    region_code: Set(region_code.clone()),
                    departement_code: Set(departement_code.clone()),
                    structure: Set(structure.clone()),
                }
                .insert(tx)
                .await?;
            }
        }
        inscriptions::ActiveModel { user_id: Set(user.id), created_at: Set(now.fixed_offset()), etablissement_id: Set(etablissement_id) }
            .insert(tx)
            .await?;
        Ok(Some(user.id))
    }

    /// The number of sign-ups waiting (the administrators' home shows it).
    pub async fn pending_count(db: &impl ConnectionTrait) -> Result<u64, AppError> {
        Ok(inscriptions::Entity::find().count(db).await?)
    }

    /// Whether `user_id` is a sign-up not decided yet.
    pub async fn is_pending(db: &impl ConnectionTrait, user_id: i32) -> Result<bool, AppError> {
        Ok(inscriptions::Entity::find_by_id(user_id).one(db).await?.is_some())
    }

    /// The sign-ups waiting, oldest first, with what each declared and, for an
    /// individuel or a préposé, the liste blanche entries it may be linked to.
    pub async fn pending(db: &DatabaseConnection, caller: &Caller) -> Result<Vec<InscriptionEnAttente>, AppError> {
        caller.require(&Role::ADMIN)?;
        let rows = inscriptions::Entity::find().order_by_asc(inscriptions::Column::CreatedAt).all(db).await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let Some(user) = users::Entity::find_by_id(row.user_id).one(db).await? else { continue };
            let role = Role::parse(&user.role);
            let gestionnaire = own_gestionnaire(db, user.id).await?;
            let details = declared(db, &user, role, gestionnaire.as_ref(), row.etablissement_id).await?;
            let rattachable = matches!(role, Some(Role::Individuel | Role::Prepose));
            let candidats = match (&gestionnaire, rattachable) {
                (Some(g), true) => candidates(db, &user, g, row.etablissement_id).await?,
                _ => Vec::new(),
            };
            out.push(InscriptionEnAttente {
                user_id: user.id,
                role: user.role.clone(),
                role_label: role.map(|r| r.label().to_string()).unwrap_or_else(|| user.role.clone()),
                nom: format!("{} {}", user.prenom, user.nom),
                email: user.email,
                telephone: user.telephone,
                demandee_le: row
                    .created_at
                    .with_timezone(&crate::rules::heure::decalage_paris(row.created_at.naive_utc()))
                    .format("%d/%m/%Y à %H:%M")
                    .to_string(),
                details,
                rattachable,
                candidats,
            });
        }
        Ok(out)
    }

    /// The gestionnaire an individuel or préposé created at sign-up.
    async fn own_gestionnaire(db: &impl ConnectionTrait, user_id: i32) -> Result<Option<gestionnaires::Model>, AppError> {
        let Some(membre) = gestionnaire_membres::Entity::find_by_id(user_id).one(db).await? else { return Ok(None) };
        Ok(gestionnaires::Entity::find_by_id(membre.gestionnaire_id).one(db).await?)
    }

    async fn declared(
        db: &DatabaseConnection,
        user: &users::Model,
        role: Option<Role>,
        g: Option<&gestionnaires::Model>,
        etablissement_id: Option<i32>,
    ) -> Result<Vec<(String, String)>, AppError> {
        let mut lines: Vec<(String, String)> = Vec::new();
        let tribunal_name = |t: Option<tribunaux::Model>| t.map(|t| format!("{} ({})", t.nom, t.departement_code)).unwrap_or_default();
        match (role, g) {
            (Some(Role::Individuel | Role::Prepose), Some(g)) => {
                if let Some(siret) = &g.siret {
                    lines.push(("SIRET".into(), siret.clone()));
                }
                if let Some(id) = etablissement_id {
                    if let Some(e) = etablissements::Entity::find_by_id(id).one(db).await? {
                        lines.push(("Établissement".into(), format!("{} — {} ({})", e.nom, e.code_postal, e.departement_code)));
                    }
                }
                lines.push(("Adresse".into(), format!("{}, {} ({})", g.adresse, g.code_postal, g.departement_code)));
                lines.push(("Mesures souhaitées".into(), g.mesures_max.to_string()));
                let declared: Vec<i32> = gestionnaire_tribunaux::Entity::find()
                    .filter(gestionnaire_tribunaux::Column::GestionnaireId.eq(g.id))
                    .all(db)
                    .await?
                    .into_iter()
                    .map(|t| t.tribunal_id)
                    .collect();
                if !declared.is_empty() {
                    let names: Vec<String> = tribunaux::Entity::find()
                        .filter(tribunaux::Column::Id.is_in(declared))
                        .all(db)
                        .await?
                        .into_iter()
                        .map(|t| tribunal_name(Some(t)))
                        .collect();
                    lines.push(("Tribunaux".into(), names.join(", ")));
                }
            }
            (Some(Role::Service), _) => {
                if let Some(m) = gestionnaire_membres::Entity::find_by_id(user.id).one(db).await? {
                    if let Some(service) = gestionnaires::Entity::find_by_id(m.gestionnaire_id).one(db).await? {
                        lines.push(("Service".into(), format!("{} ({})", service.nom, service.departement_code)));
                        if !service_has_admin(db, service.id).await? {
                            lines.push(("Administrateur du service".into(), "aucun actif : cette personne le deviendra".into()));
                        }
                    }
                }
            }
            (Some(Role::Magistrat | Role::Greffier), _) => {
                let (tribunal_id, cabinet) = match magistrats::Entity::find_by_id(user.id).one(db).await? {
                    Some(m) => (Some(m.tribunal_id), m.cabinet),
                    None => match greffiers::Entity::find_by_id(user.id).one(db).await? {
                        Some(g) => (Some(g.tribunal_id), g.cabinet),
                        None => (None, None),
                    },
                };
                if let Some(id) = tribunal_id {
                    lines.push(("Tribunal".into(), tribunal_name(tribunaux::Entity::find_by_id(id).one(db).await?)));
                }
                if let Some(cabinet) = cabinet {
                    lines.push(("Cabinet".into(), cabinet));
                }
            }
            (Some(Role::Direction), _) => {
                if let Some(d) = directions::Entity::find_by_id(user.id).one(db).await? {
                    let niveau = DIRECTIONS.iter().find(|(k, _)| *k == d.kind).map(|(_, l)| *l).unwrap_or("");
                    lines.push(("Direction".into(), format!("{} — {niveau}", d.structure)));
                    if let Some(code) = d.region_code {
                        let nom = regions::Entity::find_by_id(code.clone()).one(db).await?.map(|r| r.nom).unwrap_or_default();
                        lines.push(("Région".into(), format!("{nom} ({code})")));
                    }
                    if let Some(code) = d.departement_code {
                        let nom = departements::Entity::find_by_id(code.clone()).one(db).await?.map(|r| r.nom).unwrap_or_default();
                        lines.push(("Département".into(), format!("{nom} ({code})")));
                    }
                }
            }
            _ => {}
        }
        Ok(lines)
    }

    async fn service_has_admin(db: &impl ConnectionTrait, service_id: i32) -> Result<bool, AppError> {
        let admins: Vec<i32> = gestionnaire_membres::Entity::find()
            .filter(gestionnaire_membres::Column::GestionnaireId.eq(service_id))
            .filter(gestionnaire_membres::Column::Admin.eq(true))
            .all(db)
            .await?
            .into_iter()
            .map(|m| m.user_id)
            .collect();
        Ok(users::Entity::find().filter(users::Column::Id.is_in(admins)).filter(users::Column::Active.eq(true)).count(db).await? > 0)
    }

    /// Liste blanche entries of the same kind, linked to no gestionnaire, that
    /// share the SIRET, the address, the name or (préposé) the établissement.
    async fn candidates(
        db: &DatabaseConnection,
        user: &users::Model,
        g: &gestionnaires::Model,
        etablissement_id: Option<i32>,
    ) -> Result<Vec<Candidat>, AppError> {
        // Case and accents aside ("LEFÈVRE" typed, "Lefèvre" on the list).
        use crate::db::sans_accents;
        use crate::rules::geo::sans_accents as typed;
        let mut matching = Condition::any()
            .add(sans_accents(liste_blanche::Column::Email).eq(typed(&user.email)))
            .add(sans_accents(liste_blanche::Column::Nom).eq(typed(&user.nom)));
        if let Some(siret) = &g.siret {
            matching = matching.add(liste_blanche::Column::Siret.eq(siret.clone()));
        }
        let at_etablissement: Vec<i32> = match etablissement_id {
            Some(id) => liste_blanche_etablissements::Entity::find()
                .filter(liste_blanche_etablissements::Column::EtablissementId.eq(id))
                .all(db)
                .await?
                .into_iter()
                .map(|l| l.liste_blanche_id)
                .collect(),
            None => Vec::new(),
        };
        if !at_etablissement.is_empty() {
            matching = matching.add(liste_blanche::Column::Id.is_in(at_etablissement.clone()));
        }
        let linked = sea_orm::sea_query::Query::select()
            .column(gestionnaires::Column::ListeBlancheId)
            .from(gestionnaires::Entity)
            .and_where(gestionnaires::Column::ListeBlancheId.is_not_null())
            .to_owned();
        let entries = liste_blanche::Entity::find()
            .filter(liste_blanche::Column::Kind.eq(g.kind.as_str()))
            .filter(liste_blanche::Column::Id.not_in_subquery(linked))
            .filter(matching)
            .order_by_asc(liste_blanche::Column::Nom)
            .limit(20)
            .all(db)
            .await?;
        let mut out = Vec::new();
        for e in entries {
            let mut raisons = Vec::new();
            if g.siret.is_some() && e.siret == g.siret {
                raisons.push("même SIRET".to_string());
            }
            if e.email.as_deref().map(str::to_lowercase) == Some(user.email.to_lowercase()) {
                raisons.push("même adresse électronique".to_string());
            }
            if at_etablissement.contains(&e.id) {
                raisons.push("même établissement".to_string());
            }
            if e.nom.to_lowercase() == user.nom.to_lowercase() {
                raisons.push("même nom".to_string());
            }
            let agrements = approved_departements_of(db, e.id).await?.join(", ");
            out.push(Candidat {
                id: e.id,
                nom: crate::professionals::display_name(&e.kind, &e.nom, e.prenom.as_deref()),
                raisons,
                agrements,
            });
        }
        // The strongest evidence first: SIRET or address before a mere name.
        out.sort_by_key(|c| std::cmp::Reverse(c.raisons.iter().filter(|r| !r.contains("nom")).count()));
        Ok(out)
    }

    /// Takes the waiting row: the one decision that may act on this sign-up.
    async fn take(tx: &DatabaseTransaction, user_id: i32) -> Result<users::Model, AppError> {
        let user = users::Entity::find_by_id(user_id).one(tx).await?.ok_or(AppError::Introuvable)?;
        let taken = inscriptions::Entity::delete_many().filter(inscriptions::Column::UserId.eq(user_id)).exec(tx).await?;
        if taken.rows_affected == 0 {
            return Err(AppError::Conflit("Cette inscription a déjà été traitée.".into()));
        }
        Ok(user)
    }

    /// Activates a sign-up; links an individuel or préposé to `entry` (same
    /// kind, linked to no other gestionnaire) and keeps the tribunals it
    /// declared only in the départements where that entry approves it.
    #[tracing::instrument(skip_all, err(level = "info"))]
    pub async fn accept(
        db: &DatabaseConnection,
        caller: &Caller,
        user_id: i32,
        entry: Option<i32>,
        base_url: &str,
        ip: Option<String>,
    ) -> Result<(), AppError> {
        caller.require(&Role::ADMIN)?;
        crate::db::retry_on_conflict(|| {
            let ip = ip.clone();
            async move {
                let tx = crate::db::begin(db).await?;
                let user = take(&tx, user_id).await?;
                let mut summary = format!("{} <{}> activé", user.role, user.email);
                match Role::parse(&user.role) {
                    Some(Role::Individuel | Role::Prepose) => {
                        let g = own_gestionnaire(&tx, user.id).await?.ok_or(AppError::Introuvable)?;
                        if let Some(entry) = entry {
                            let refuse = |m: String| AppError::Champs(vec![("liste_blanche_id".into(), m)]);
                            let e = liste_blanche::Entity::find_by_id(entry)
                                .one(&tx)
                                .await?
                                .ok_or_else(|| refuse(format!("L'entrée n° {entry} n'existe pas dans la liste blanche.")))?;
                            if e.kind != g.kind {
                                return Err(refuse(format!("L'entrée n° {entry} n'est pas celle d'un mandataire de ce type.")));
                            }
                            if let Some(other) = gestionnaires::Entity::find()
                                .filter(gestionnaires::Column::ListeBlancheId.eq(entry))
                                .filter(gestionnaires::Column::Id.ne(g.id))
                                .one(&tx)
                                .await?
                            {
                                return Err(refuse(format!(
                                    "L'entrée n° {entry} est déjà rattachée à {}.",
                                    crate::professionals::display_name(&other.kind, &other.nom, other.prenom.as_deref())
                                )));
                            }
                            gestionnaires::Entity::update_many()
                                .col_expr(gestionnaires::Column::ListeBlancheId, Expr::value(entry))
                                .col_expr(gestionnaires::Column::UpdatedAt, Expr::value(chrono::Utc::now().fixed_offset()))
                                .filter(gestionnaires::Column::Id.eq(g.id))
                                .exec(&tx)
                                .await?;
                            let approved = approved_departements_of(&tx, entry).await?;
                            let outside: Vec<i32> = tribunaux::Entity::find()
                                .filter(tribunaux::Column::DepartementCode.is_not_in(approved.clone()))
                                .all(&tx)
                                .await?
                                .into_iter()
                                .map(|t| t.id)
                                .collect();
                            gestionnaire_tribunaux::Entity::delete_many()
                                .filter(gestionnaire_tribunaux::Column::GestionnaireId.eq(g.id))
                                .filter(gestionnaire_tribunaux::Column::TribunalId.is_in(outside))
                                .exec(&tx)
                                .await?;
                            summary.push_str(&format!(
                                ", rattaché à l'entrée n° {entry} de la liste blanche (agréé : {})",
                                approved.join(", ")
                            ));
                        } else {
                            summary.push_str(", sans rattachement à la liste blanche");
                        }
                    }
                    Some(Role::Service) => {
                        if let Some(m) = gestionnaire_membres::Entity::find_by_id(user.id).one(&tx).await? {
                            if !service_has_admin(&tx, m.gestionnaire_id).await? {
                                gestionnaire_membres::Entity::update_many()
                                    .col_expr(gestionnaire_membres::Column::Admin, Expr::value(true))
                                    .filter(gestionnaire_membres::Column::UserId.eq(user.id))
                                    .exec(&tx)
                                    .await?;
                                summary.push_str(", administrateur du service (il n'en avait aucun)");
                            }
                        }
                    }
                    _ => {}
                }
                users::Entity::update_many()
                    .col_expr(users::Column::Active, Expr::value(true))
                    .col_expr(users::Column::UpdatedAt, Expr::value(chrono::Utc::now().fixed_offset()))
                    .filter(users::Column::Id.eq(user.id))
                    .exec(&tx)
                    .await?;
                notifications::enqueue(&tx, messages::inscription_validee(&format!("{base_url}/connexion")).pour(&user.email)).await?;
                AuditEvent::by(caller, "inscription.validation").target("user", user.id).summary(summary).ip(ip).record(&tx).await;
                tx.commit().await?;
                Ok(())
            }
        })
        .await
    }

    /// Refuses a sign-up with a reason: the person is mailed it; the account
    /// and what it created (its own gestionnaire) are deleted.
    #[tracing::instrument(skip_all, err(level = "info"))]
    pub async fn refuse(
        db: &DatabaseConnection,
        caller: &Caller,
        user_id: i32,
        motif: &str,
        base_url: &str,
        ip: Option<String>,
    ) -> Result<(), AppError> {
        caller.require(&Role::ADMIN)?;
        let motif = motif.trim();
        if motif.is_empty() {
            return Err(AppError::Champs(vec![("motif".into(), "Indiquez le motif du refus : il est envoyé à la personne.".into())]));
        }
        if motif.chars().count() > MOTIF_MAX {
            return Err(AppError::Champs(vec![("motif".into(), format!("Le motif compte au plus {MOTIF_MAX} caractères."))]));
        }
        crate::db::retry_on_conflict(|| {
            let ip = ip.clone();
            async move {
                let tx = crate::db::begin(db).await?;
                let user = take(&tx, user_id).await?;
                delete_account(&tx, &user).await?;
                let lien = format!("{base_url}/inscription");
                notifications::enqueue(&tx, messages::inscription_refusee(motif, &lien).pour(&user.email)).await?;
                AuditEvent::by(caller, "inscription.refus")
                    .target("user", user.id)
                    .summary(format!("{} <{}> : {motif}", user.role, user.email))
                    .ip(ip)
                    .record(&tx)
                    .await;
                tx.commit().await?;
                Ok(())
            }
        })
        .await
    }

    /// Deletes a taken sign-up's account and what it created: its own
    /// gestionnaire, never approved, which nothing else uses.
    async fn delete_account(tx: &DatabaseTransaction, user: &users::Model) -> Result<(), AppError> {
        if matches!(Role::parse(&user.role), Some(Role::Individuel | Role::Prepose)) {
            if let Some(g) = own_gestionnaire(tx, user.id).await? {
                gestionnaires::Entity::delete_by_id(g.id).exec(tx).await?;
            }
        }
        users::Entity::delete_by_id(user.id).exec(tx).await?;
        Ok(())
    }

    /// The retention job: sign-ups still undecided `mois` months after they were
    /// asked (`avant`) are removed as a refusal would remove them, and the
    /// person is told it may ask again. Returns how many.
    pub async fn expire_undecided(
        tx: &DatabaseTransaction,
        avant: chrono::DateTime<chrono::Utc>,
        mois: u32,
        base_url: &str,
    ) -> Result<u64, AppError> {
        let waiting = inscriptions::Entity::find().filter(inscriptions::Column::CreatedAt.lt(avant.fixed_offset())).all(tx).await?;
        let motif = format!("votre demande est restée sans décision pendant {mois} mois.");
        let lien = format!("{base_url}/inscription");
        for inscription in &waiting {
            let user = take(tx, inscription.user_id).await?;
            delete_account(tx, &user).await?;
            notifications::enqueue(tx, messages::inscription_refusee(&motif, &lien).pour(&user.email)).await?;
            let event = AuditEvent::system("inscription.expiration").target("user", user.id).summary(format!(
                "{} <{}> : sans décision depuis le {}",
                user.role,
                user.email,
                inscription.created_at.format("%d/%m/%Y")
            ));
            record(tx, event).await;
        }
        Ok(waiting.len() as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn individuel() -> DemandeInscription {
        DemandeInscription {
            role: "individuel".into(),
            prenom: " Camille ".into(),
            nom: "Lambert".into(),
            email: "Camille.Lambert@Exemple.fr ".into(),
            telephone: "0320123456".into(),
            mot_de_passe: "une phrase assez longue".into(),
            confirmation: "une phrase assez longue".into(),
            siret: "732 829 320 00074".into(),
            adresse: "3 rue Esquermoise".into(),
            commune: "Lille (59000)".into(),
            mesures_max: Some(40),
            tribunaux: vec!["1".into(), "1".into(), "2".into()],
            ..Default::default()
        }
    }

    fn fields(error: AppError) -> Vec<String> {
        match error {
            AppError::Champs(champs) => champs.into_iter().map(|(f, _)| f).collect(),
            other => panic!("refus inattendu : {other:?}"),
        }
    }

    #[test]
    fn an_individuel_signs_up_with_a_valid_siret_an_address_and_a_capacity() {
        let valide = individuel().validate().expect("valide");
        assert_eq!(valide.email, "camille.lambert@exemple.fr");
        assert_eq!(valide.prenom, "Camille");
        assert_eq!(valide.telephone.as_deref(), Some("03 20 12 34 56"));
        assert_eq!(
            valide.detail,
            Detail::Individuel {
                siret: "73282932000074".into(),
                adresse: "3 rue Esquermoise".into(),
                commune: "Lille (59000)".into(),
                mesures_max: 40,
                tribunaux: vec![1, 2]
            }
        );
    }

    #[test]
    fn every_refusal_of_an_individuel_is_named_at_once() {
        let demande = DemandeInscription {
            siret: "73282932000075".into(),
            telephone: String::new(),
            mesures_max: Some(-1),
            confirmation: "autre chose encore".into(),
            adresse: " ".into(),
            ..individuel()
        };
        assert_eq!(fields(demande.validate().unwrap_err()), ["telephone", "confirmation", "siret", "adresse", "mesures_max"]);
    }

    #[test]
    fn each_role_asks_for_its_own_attachment() {
        let base = DemandeInscription { telephone: String::new(), ..individuel() };
        let refused = |role: &str| fields(DemandeInscription { role: role.into(), ..base.clone() }.validate().unwrap_err());
        assert_eq!(refused("prepose"), ["telephone", "etablissement_id"]);
        assert_eq!(refused("service"), ["service_id"]);
        assert_eq!(refused("magistrat"), ["tribunal_id"]);
        assert_eq!(refused("greffier"), ["tribunal_id"]);
        assert_eq!(refused("direction"), ["direction_type", "structure"]);
        let region =
            DemandeInscription { role: "direction".into(), direction_type: "regional".into(), structure: "DREETS".into(), ..base.clone() };
        assert_eq!(fields(region.validate().unwrap_err()), ["region_code"]);
        let juge = DemandeInscription { role: "magistrat".into(), tribunal_id: Some(3), cabinet: " 2 ".into(), ..base.clone() };
        let valide = juge.validate().expect("juge");
        assert_eq!(valide.telephone, None, "optional for a judge");
        assert_eq!(valide.detail, Detail::Juridiction { tribunal_id: 3, cabinet: Some("2".into()) });
    }

    #[test]
    fn nobody_signs_up_as_an_administrator_or_an_unknown_role() {
        for role in ["admin", "", "juge"] {
            let refused = DemandeInscription { role: role.into(), ..individuel() }.validate();
            assert!(matches!(refused, Err(AppError::Invalide(_))), "{role}");
        }
    }

    #[test]
    fn the_password_follows_the_policy() {
        let faible = DemandeInscription { mot_de_passe: "motdepasse".into(), confirmation: "motdepasse".into(), ..individuel() };
        assert_eq!(fields(faible.validate().unwrap_err()), ["nouveau"]);
    }
}
