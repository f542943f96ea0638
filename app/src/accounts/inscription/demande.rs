//! A sign-up (server only): the lists the form offers, the request checked and
//! stored with its account, inactive until an administrator decides.

use super::*;
use crate::audit::{record, AuditEvent};
use crate::db::entities::{
    departements, directions, etablissements, gestionnaire_membres, gestionnaire_tribunaux, gestionnaires, greffiers, inscriptions,
    magistrats, regions, tribunaux, users,
};
use crate::notifications::{self, messages};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
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

/// How a recorded sign-up ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Inscrite {
    /// Waiting for the team (or the address already had an account).
    EnAttente,
    /// Came through an invitation with the data the team imported: active.
    Activee,
}

/// Records a sign-up, through an invitation's link (`invitation`, its token)
/// or not. `EnAttente` whether or not the address already had an account (it
/// is then mailed instead), after the same work.
pub async fn submit(
    db: &DatabaseConnection,
    demande: &DemandeInscription,
    base_url: &str,
    ip: Option<String>,
    invitation: Option<&str>,
) -> Result<Inscrite, AppError> {
    let since = (chrono::Utc::now() - chrono::Duration::hours(1)).fixed_offset();
    // A sign-up through a valid invitation's link is not held back by its
    // network address, nor counted for it (audited as `inscription.invitation`):
    // a whole tribunal behind one address answers the team's invitations on
    // the same morning.
    let invited = match invitation {
        Some(jeton) => crate::invitations::service::pour_inscription(db, jeton).await.is_ok(),
        None => false,
    };
    if let Some(ip) = ip.as_deref().filter(|_| !invited) {
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
    crate::db::retry_on_conflict(|| store(db, &valide, password_hash.clone(), located.clone(), base_url, ip.clone(), invitation)).await
}

/// The sign-up's writes, in one transaction.
async fn store(
    db: &DatabaseConnection,
    valide: &InscriptionValide,
    password_hash: String,
    located: Option<(crate::search::communes::CommuneSuggestion, String)>,
    base_url: &str,
    ip: Option<String>,
    invitation: Option<&str>,
) -> Result<Inscrite, AppError> {
    let now = chrono::Utc::now();
    let tx = crate::db::begin(db).await?;
    let invitation = match invitation {
        Some(jeton) => Some(crate::invitations::service::pour_inscription(&tx, jeton).await?),
        None => None,
    };
    let existing = users::Entity::find().filter(users::Column::Email.eq(valide.email.as_str())).one(&tx).await?;
    let user_id = match existing {
        Some(_) => None,
        None => create(&tx, valide, password_hash, located, now).await?,
    };
    let mut activee = false;
    if let (Some(id), Some(invitation)) = (user_id, &invitation) {
        activee = through_invitation(&tx, valide, id, invitation, base_url).await?;
    }
    match user_id {
        Some(_) if activee => {}
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
        // Told apart so that the per-address limit counts only the others.
        action: if invitation.is_some() { "inscription.invitation" } else { "inscription.demande" },
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
    Ok(if activee { Inscrite::Activee } else { Inscrite::EnAttente })
}

/// Uses the invitation for the account just created (single use) and, when
/// the sign-up says what the team imported — and an individuel's or
/// préposé's entry is still free — activates it at once and tells the person.
/// Returns whether it was activated.
async fn through_invitation(
    tx: &DatabaseTransaction,
    valide: &InscriptionValide,
    user_id: i32,
    invitation: &crate::db::entities::invitations::Model,
    base_url: &str,
) -> Result<bool, AppError> {
    use crate::invitations::{conforme, service};
    service::utiliser(tx, invitation.id, user_id).await?;
    let entry_free = match invitation.liste_blanche_id {
        Some(entry) => super::examen::entry_free(tx, entry, user_id).await?,
        None => true,
    };
    if !entry_free || !service::attendu(invitation).is_some_and(|attendu| conforme(&attendu, valide)) {
        return Ok(false);
    }
    let user = super::examen::take(tx, user_id).await?;
    let summary = super::examen::activate(tx, &user, invitation.liste_blanche_id).await?;
    notifications::enqueue(tx, messages::inscription_validee(&format!("{base_url}/connexion")).pour(&user.email)).await?;
    AuditEvent::system("inscription.validation")
        .target("user", user_id)
        .summary(format!("{summary} d'office : invitation n° {} conforme à l'import", invitation.id))
        .record(tx)
        .await;
    Ok(true)
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
            gestionnaire_membres::ActiveModel { user_id: Set(user.id), gestionnaire_id: Set(g.id), admin: Set(true) }.insert(tx).await?;
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
            gestionnaire_membres::ActiveModel { user_id: Set(user.id), gestionnaire_id: Set(g.id), admin: Set(true) }.insert(tx).await?;
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
