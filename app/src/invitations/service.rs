//! The invitations' service (server only): importing a contacts file, mailing
//! the invitations and their reminder, the invited person's link (opened,
//! declined, used by a sign-up), and the team's list.

use super::{
    etape, Attendu, Contact, Dates, Etape, FiltresInvitations, ImportVue, InvitationOuverte, InvitationVue, PageInvitations, ENVOI_PAR_LOT,
    ERREURS_MONTREES, LIEN_INVALIDE, LISTE_MAX, RAPPEL_JOURS, VALIDITE_JOURS,
};
use crate::accounts::guard::Caller;
use crate::audit::AuditEvent;
use crate::db::entities::{
    departements, etablissements, gestionnaires, imports_invitations, invitations, liste_blanche, liste_blanche_etablissements, tribunaux,
    usages, users,
};
use crate::errors::AppError;
use crate::notifications::{self, messages};
use crate::rules::heure::jour_a_paris;
use crate::rules::roles::Role;
use chrono::{DateTime, Duration, FixedOffset, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, NotSet, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use std::collections::HashMap;

fn hash(jeton: &str) -> String {
    crate::accounts::session::token_id(jeton)
}

/// A new link's token and its hash (only the hash is stored).
fn nouveau_jeton() -> (String, String) {
    crate::accounts::session::new_token()
}

fn chiffres(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace() && *c != '.').collect()
}

/// What a contact is attached to, found in the reference data.
#[derive(Default)]
struct Rattachement {
    tribunal_id: Option<i32>,
    service_id: Option<i32>,
    liste_blanche_id: Option<i32>,
    etablissement_id: Option<i32>,
    siret: Option<String>,
}

/// Finds a contact's tribunal (SIRET, or exact name — the import's
/// département first when several share it) or professional (the individuel's
/// liste blanche entry and the service by SIRET, the préposé's entry at the
/// établissement by FINESS and name).
async fn rattacher(
    db: &impl ConnectionTrait,
    contact: &Contact,
    departement: &str,
    tous_tribunaux: &[tribunaux::Model],
) -> Result<Rattachement, String> {
    let valeur = contact.rattachement.trim();
    let colonne = |message: String| format!("Ligne {}, colonne « rattachement » : {message}", contact.ligne);
    let mut r = Rattachement::default();
    match contact.role {
        Role::Magistrat | Role::Greffier => {
            let siret = chiffres(valeur);
            let mut trouves: Vec<&tribunaux::Model> = if siret.len() == 14 && siret.chars().all(|c| c.is_ascii_digit()) {
                tous_tribunaux.iter().filter(|t| t.siret.as_deref() == Some(siret.as_str())).collect()
            } else {
                let nom = crate::rules::geo::sans_accents(valeur);
                tous_tribunaux.iter().filter(|t| crate::rules::geo::sans_accents(&t.nom) == nom).collect()
            };
            if trouves.len() > 1 {
                trouves.retain(|t| t.departement_code == departement);
            }
            match trouves.as_slice() {
                [t] => r.tribunal_id = Some(t.id),
                [] => return Err(colonne(format!("aucun tribunal « {valeur} » (indiquez son SIRET ou son nom exact)."))),
                _ => return Err(colonne(format!("plusieurs tribunaux s'appellent « {valeur} » : indiquez son SIRET."))),
            }
        }
        Role::Individuel => {
            let siret = chiffres(valeur);
            if !crate::rules::siret::is_valid_siret(&siret) {
                return Err(colonne(format!("« {valeur} » n'est pas un SIRET valide (14 chiffres).")));
            }
            let entree = liste_blanche::Entity::find()
                .filter(liste_blanche::Column::Kind.eq("individuel"))
                .filter(liste_blanche::Column::Siret.eq(siret.clone()))
                .one(db)
                .await
                .map_err(|e| e.to_string())?
                .ok_or_else(|| colonne(format!("aucun mandataire individuel de la liste blanche n'a le SIRET {siret}.")))?;
            r.liste_blanche_id = Some(entree.id);
            r.siret = Some(siret);
        }
        Role::Service => {
            let siret = chiffres(valeur);
            let service = gestionnaires::Entity::find()
                .filter(gestionnaires::Column::Kind.eq("service"))
                .filter(gestionnaires::Column::Siret.eq(siret.clone()))
                .filter(gestionnaires::Column::ListeBlancheId.is_not_null())
                .one(db)
                .await
                .map_err(|e| e.to_string())?
                .ok_or_else(|| colonne(format!("aucun service mandataire agréé n'a le SIRET {siret}.")))?;
            r.service_id = Some(service.id);
        }
        Role::Prepose => {
            let finess = chiffres(valeur).to_uppercase();
            let etablissement = etablissements::Entity::find()
                .filter(etablissements::Column::Finess.eq(finess.clone()))
                .one(db)
                .await
                .map_err(|e| e.to_string())?
                .ok_or_else(|| colonne(format!("aucun établissement n'a le FINESS {finess}.")))?;
            let au_lieu: Vec<i32> = liste_blanche_etablissements::Entity::find()
                .filter(liste_blanche_etablissements::Column::EtablissementId.eq(etablissement.id))
                .all(db)
                .await
                .map_err(|e| e.to_string())?
                .into_iter()
                .map(|l| l.liste_blanche_id)
                .collect();
            let nom = crate::rules::geo::sans_accents(&contact.nom);
            let entree = liste_blanche::Entity::find()
                .filter(liste_blanche::Column::Kind.eq("prepose"))
                .filter(liste_blanche::Column::Id.is_in(au_lieu))
                .all(db)
                .await
                .map_err(|e| e.to_string())?
                .into_iter()
                .find(|e| crate::rules::geo::sans_accents(&e.nom) == nom)
                .ok_or_else(|| {
                    colonne(format!(
                        "aucun préposé nommé « {} » n'est agréé pour {} dans la liste blanche.",
                        contact.nom, etablissement.nom
                    ))
                })?;
            r.liste_blanche_id = Some(entree.id);
            r.etablissement_id = Some(etablissement.id);
        }
        Role::Direction | Role::Admin => {}
    }
    Ok(r)
}

/// Imports a contacts file for `departement`: every line checked (its
/// attachment found), nothing written when one is wrong — the errors are the
/// refusal, line and column named; people who already have an account, are
/// invited or declined are reported, not invited again; an expired
/// invitation is renewed. Returns the import's id.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn importer(
    db: &DatabaseConnection,
    caller: &Caller,
    departement: &str,
    fichier: &str,
    octets: &[u8],
    ip: Option<String>,
) -> Result<i32, AppError> {
    caller.require(&Role::ADMIN)?;
    let refus = |erreurs: Vec<String>| {
        let reste = erreurs.len().saturating_sub(ERREURS_MONTREES);
        let mut champs: Vec<(String, String)> = erreurs.into_iter().take(ERREURS_MONTREES).map(|e| ("fichier".to_string(), e)).collect();
        if reste > 0 {
            champs.push(("fichier".into(), format!("… et {reste} autre(s) erreur(s).")));
        }
        champs.insert(0, ("fichier".into(), "Rien n'est importé : corrigez le fichier puis envoyez-le de nouveau.".into()));
        AppError::Champs(champs)
    };
    let departement = departement.trim();
    if departements::Entity::find_by_id(departement.to_string()).one(db).await?.is_none() {
        return Err(AppError::Champs(vec![("departement".into(), "Choisissez le département des personnes à inviter.".into())]));
    }
    if octets.is_empty() {
        return Err(AppError::Champs(vec![("fichier".into(), "Choisissez le fichier des personnes à inviter (CSV).".into())]));
    }
    let (contacts, mut erreurs) = super::fichier::lire_tout(octets);
    let tous_tribunaux = tribunaux::Entity::find().all(db).await?;
    let mut lignes: Vec<(Contact, Rattachement)> = Vec::new();
    for contact in contacts {
        match rattacher(db, &contact, departement, &tous_tribunaux).await {
            Ok(r) => lignes.push((contact, r)),
            Err(e) => erreurs.push(e),
        }
    }
    if !erreurs.is_empty() {
        // In the file's order ("Ligne 3, …" before "Ligne 12, …").
        let ligne = |e: &String| e.strip_prefix("Ligne ").and_then(|r| r.split([',', ' ']).next()?.parse::<usize>().ok()).unwrap_or(0);
        erreurs.sort_by_key(ligne);
        return Err(refus(erreurs));
    }
    let fichier: String = fichier.chars().filter(|c| !c.is_control()).take(200).collect();
    let departement = departement.to_string();
    crate::db::retry_on_conflict(|| {
        let (ip, lignes, fichier, departement) = (ip.clone(), &lignes, fichier.clone(), departement.clone());
        async move {
            let tx = crate::db::begin(db).await?;
            let now = Utc::now().fixed_offset();
            let emails: Vec<String> = lignes.iter().map(|(c, _)| c.email.clone()).collect();
            let mut comptes: Vec<String> = Vec::new();
            let mut existantes: HashMap<String, invitations::Model> = HashMap::new();
            for lot in emails.chunks(500) {
                comptes.extend(
                    users::Entity::find()
                        .select_only()
                        .column(users::Column::Email)
                        .filter(users::Column::Email.is_in(lot.to_vec()))
                        .into_tuple::<String>()
                        .all(&tx)
                        .await?,
                );
                for i in invitations::Entity::find().filter(invitations::Column::Email.is_in(lot.to_vec())).all(&tx).await? {
                    existantes.insert(i.email.clone(), i);
                }
            }
            let import = imports_invitations::ActiveModel {
                id: NotSet,
                departement_code: Set(departement.clone()),
                fichier: Set(fichier.clone()),
                importees: Set(0),
                signalements: Set(String::new()),
                auteur_user_id: Set(Some(caller.user_id)),
                created_at: Set(now),
            }
            .insert(&tx)
            .await?;
            let mut signalements: Vec<String> = Vec::new();
            let mut importees = 0;
            for (c, r) in lignes {
                let ligne = |quoi: String| format!("Ligne {} : {} {quoi}", c.ligne, c.email);
                if comptes.contains(&c.email) {
                    signalements.push(ligne("a déjà un compte.".into()));
                    continue;
                }
                let renouvelee = match existantes.get(&c.email) {
                    Some(i) if i.user_id.is_some() => {
                        signalements.push(ligne("a déjà un compte.".into()));
                        continue;
                    }
                    Some(i) if i.refusee_at.is_some() => {
                        signalements.push(ligne("a demandé à ne plus recevoir d'invitation.".into()));
                        continue;
                    }
                    Some(i) if i.expire_at.is_none_or(|e| e > now) => {
                        signalements.push(ligne(format!("est déjà invitée (importée le {}).", jour_a_paris(i.importee_at))));
                        continue;
                    }
                    Some(_) => true,
                    None => false,
                };
                let valeurs = invitations::ActiveModel {
                    id: NotSet,
                    email: Set(c.email.clone()),
                    role: Set(c.role.as_str().to_string()),
                    prenom: Set(c.prenom.clone()),
                    nom: Set(c.nom.clone()),
                    departement_code: Set(departement.clone()),
                    tribunal_id: Set(r.tribunal_id),
                    service_id: Set(r.service_id),
                    liste_blanche_id: Set(r.liste_blanche_id),
                    etablissement_id: Set(r.etablissement_id),
                    siret: Set(r.siret.clone()),
                    import_id: Set(Some(import.id)),
                    importee_at: Set(now),
                    jeton_hash: Set(None),
                    jeton_rappel_hash: Set(None),
                    envoyee_at: Set(None),
                    rappel_at: Set(None),
                    expire_at: Set(None),
                    ouverte_at: Set(None),
                    user_id: Set(None),
                    compte_cree_at: Set(None),
                    refusee_at: Set(None),
                };
                let ecrites = if renouvelee {
                    // Only while it is still expired and unused (another import may have renewed it).
                    invitations::Entity::update_many()
                        .set(valeurs)
                        .filter(invitations::Column::Email.eq(c.email.clone()))
                        .filter(invitations::Column::ExpireAt.lte(now))
                        .filter(invitations::Column::UserId.is_null())
                        .filter(invitations::Column::RefuseeAt.is_null())
                        .exec(&tx)
                        .await?
                        .rows_affected
                } else {
                    invitations::Entity::insert(valeurs)
                        .on_conflict(OnConflict::column(invitations::Column::Email).do_nothing().to_owned())
                        .exec_without_returning(&tx)
                        .await?
                };
                if ecrites == 1 {
                    importees += 1;
                } else {
                    signalements.push(ligne("est déjà invitée (import simultané).".into()));
                }
            }
            imports_invitations::Entity::update_many()
                .col_expr(imports_invitations::Column::Importees, Expr::value(importees))
                .col_expr(imports_invitations::Column::Signalements, Expr::value(signalements.join("\n")))
                .filter(imports_invitations::Column::Id.eq(import.id))
                .exec(&tx)
                .await?;
            AuditEvent::by(caller, "invitation.import")
                .target("departement", &departement)
                .summary(format!(
                    "{importees} invitation(s) importée(s) pour le {departement} depuis « {fichier} », {} signalée(s)",
                    signalements.len()
                ))
                .ip(ip)
                .record(&tx)
                .await;
            tx.commit().await?;
            Ok(import.id)
        }
    })
    .await
}

/// The tribunal, service, établissement or territory of each invitation, in
/// words (a few queries for any number of invitations).
async fn rattachements(db: &impl ConnectionTrait, lignes: &[invitations::Model]) -> Result<HashMap<i32, String>, AppError> {
    let ids = |f: fn(&invitations::Model) -> Option<i32>| lignes.iter().filter_map(f).collect::<Vec<i32>>();
    let tribunaux: HashMap<i32, String> = tribunaux::Entity::find()
        .filter(tribunaux::Column::Id.is_in(ids(|i| i.tribunal_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.id, t.nom))
        .collect();
    let services: HashMap<i32, String> = gestionnaires::Entity::find()
        .filter(gestionnaires::Column::Id.is_in(ids(|i| i.service_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|g| (g.id, g.nom))
        .collect();
    let etablissements: HashMap<i32, String> = etablissements::Entity::find()
        .filter(etablissements::Column::Id.is_in(ids(|i| i.etablissement_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e.nom))
        .collect();
    let departements: HashMap<String, String> = departements::Entity::find().all(db).await?.into_iter().map(|d| (d.code, d.nom)).collect();
    Ok(lignes
        .iter()
        .map(|i| {
            let nom = |map: &HashMap<i32, String>, id: Option<i32>| id.and_then(|id| map.get(&id).cloned()).unwrap_or_default();
            let texte = match Role::parse(&i.role) {
                Some(Role::Magistrat | Role::Greffier) => nom(&tribunaux, i.tribunal_id),
                Some(Role::Service) => nom(&services, i.service_id),
                Some(Role::Prepose) => nom(&etablissements, i.etablissement_id),
                Some(Role::Individuel) => format!("SIRET {}", i.siret.clone().unwrap_or_default()),
                _ => format!("direction départementale — {}", departements.get(&i.departement_code).cloned().unwrap_or_default()),
            };
            (i.id, texte)
        })
        .collect())
}

fn lien(base_url: &str, jeton: &str) -> (String, String) {
    (format!("{base_url}/invitation/{jeton}"), format!("{base_url}/invitation/{jeton}#ne-plus-recevoir"))
}

fn message(
    i: &invitations::Model,
    rattachement: &str,
    jeton: &str,
    base_url: &str,
    expire: DateTime<FixedOffset>,
    rappel: bool,
) -> notifications::Courriel {
    let role = Role::parse(&i.role).map(Role::label).unwrap_or_default();
    let (lien, refus) = lien(base_url, jeton);
    messages::invitation_equipe(&i.prenom, role, rattachement, &lien, &refus, &jour_a_paris(expire), rappel).pour(&i.email)
}

/// Mails the invitations imported and not sent yet (of `departement`, or
/// all), at most [`ENVOI_PAR_LOT`] per call, each once: a conditional update
/// decides, so two administrators clicking together send each mail once.
/// Returns how many went to the outbox.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn envoyer(
    db: &DatabaseConnection,
    caller: &Caller,
    departement: Option<String>,
    base_url: &str,
    ip: Option<String>,
) -> Result<u64, AppError> {
    caller.require(&Role::ADMIN)?;
    let departement = departement.map(|d| d.trim().to_string()).filter(|d| !d.is_empty());
    crate::db::retry_on_conflict(|| {
        let (ip, departement) = (ip.clone(), departement.clone());
        async move {
            let tx = crate::db::begin(db).await?;
            let mut a_envoyer = invitations::Entity::find()
                .filter(invitations::Column::EnvoyeeAt.is_null())
                .filter(invitations::Column::UserId.is_null())
                .filter(invitations::Column::RefuseeAt.is_null());
            if let Some(d) = &departement {
                a_envoyer = a_envoyer.filter(invitations::Column::DepartementCode.eq(d.clone()));
            }
            let lignes = a_envoyer.order_by_asc(invitations::Column::Id).limit(ENVOI_PAR_LOT).all(&tx).await?;
            let noms = rattachements(&tx, &lignes).await?;
            let now = Utc::now().fixed_offset();
            let expire = now + Duration::days(VALIDITE_JOURS);
            let mut envoyees = 0;
            for i in &lignes {
                let (jeton, h) = nouveau_jeton();
                let prise = invitations::Entity::update_many()
                    .col_expr(invitations::Column::JetonHash, Expr::value(h))
                    .col_expr(invitations::Column::EnvoyeeAt, Expr::value(now))
                    .col_expr(invitations::Column::ExpireAt, Expr::value(expire))
                    .filter(invitations::Column::Id.eq(i.id))
                    .filter(invitations::Column::EnvoyeeAt.is_null())
                    .exec(&tx)
                    .await?;
                if prise.rows_affected == 1 {
                    let rattachement = noms.get(&i.id).cloned().unwrap_or_default();
                    notifications::enqueue(&tx, message(i, &rattachement, &jeton, base_url, expire, false)).await?;
                    envoyees += 1;
                }
            }
            if envoyees > 0 {
                AuditEvent::by(caller, "invitation.envoi")
                    .summary(format!("{envoyees} invitation(s) envoyée(s){}", departement.map(|d| format!(" ({d})")).unwrap_or_default()))
                    .ip(ip)
                    .record(&tx)
                    .await;
            }
            tx.commit().await?;
            Ok(envoyees)
        }
    })
    .await
}

/// The scheduled reminder: an invitation mailed [`RAPPEL_JOURS`] days ago,
/// still valid and unused, gets its one reminder with a link of its own (the
/// first mail's link keeps working). Returns how many.
pub async fn rappeler(db: &DatabaseConnection, base_url: &str, now: DateTime<Utc>) -> Result<u64, AppError> {
    let tx = crate::db::begin(db).await?;
    let now = now.fixed_offset();
    let lignes = invitations::Entity::find()
        .filter(invitations::Column::EnvoyeeAt.lte(now - Duration::days(RAPPEL_JOURS)))
        .filter(invitations::Column::RappelAt.is_null())
        .filter(invitations::Column::UserId.is_null())
        .filter(invitations::Column::RefuseeAt.is_null())
        .filter(invitations::Column::ExpireAt.gt(now))
        .order_by_asc(invitations::Column::Id)
        .limit(ENVOI_PAR_LOT)
        .all(&tx)
        .await?;
    let noms = rattachements(&tx, &lignes).await?;
    let mut rappels = 0;
    for i in &lignes {
        let (jeton, h) = nouveau_jeton();
        let prise = invitations::Entity::update_many()
            .col_expr(invitations::Column::JetonRappelHash, Expr::value(h))
            .col_expr(invitations::Column::RappelAt, Expr::value(now))
            .filter(invitations::Column::Id.eq(i.id))
            .filter(invitations::Column::RappelAt.is_null())
            .exec(&tx)
            .await?;
        if prise.rows_affected == 1 {
            let expire = i.expire_at.unwrap_or(now);
            let rattachement = noms.get(&i.id).cloned().unwrap_or_default();
            notifications::enqueue(&tx, message(i, &rattachement, &jeton, base_url, expire, true)).await?;
            rappels += 1;
        }
    }
    tx.commit().await?;
    Ok(rappels)
}

/// Re-sends an unused invitation from the users to rescue (administrators):
/// a fresh link (the first mail's keeps working), valid 30 days from now; at
/// most once an hour, decided by one conditional update (two clicks, one mail).
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn renvoyer(db: &DatabaseConnection, caller: &Caller, id: i32, base_url: &str, ip: Option<String>) -> Result<(), AppError> {
    caller.require(&Role::ADMIN)?;
    let tx = crate::db::begin(db).await?;
    let i = invitations::Entity::find_by_id(id).one(&tx).await?.ok_or(AppError::Introuvable)?;
    let now = Utc::now().fixed_offset();
    let (jeton, h) = nouveau_jeton();
    let expire = now + Duration::days(VALIDITE_JOURS);
    let pris = invitations::Entity::update_many()
        .col_expr(invitations::Column::JetonRappelHash, Expr::value(h))
        .col_expr(invitations::Column::RappelAt, Expr::value(now))
        .col_expr(invitations::Column::ExpireAt, Expr::value(expire))
        .filter(invitations::Column::Id.eq(id))
        .filter(invitations::Column::EnvoyeeAt.is_not_null())
        .filter(invitations::Column::UserId.is_null())
        .filter(invitations::Column::RefuseeAt.is_null())
        .filter(
            Condition::any().add(invitations::Column::RappelAt.is_null()).add(invitations::Column::RappelAt.lt(now - Duration::hours(1))),
        )
        .exec(&tx)
        .await?;
    if pris.rows_affected != 1 {
        return Err(AppError::Conflit(format!(
            "L'invitation de {} ne peut pas être renvoyée maintenant : elle a servi, a été refusée, n'est pas encore envoyée ou vient de l'être.",
            i.email
        )));
    }
    let rattachement = rattachements(&tx, std::slice::from_ref(&i)).await?.remove(&i.id).unwrap_or_default();
    notifications::enqueue(&tx, message(&i, &rattachement, &jeton, base_url, expire, true)).await?;
    AuditEvent::by(caller, "invitation.renvoi")
        .target("invitation", id)
        .summary(format!("Invitation renvoyée à {}", i.email))
        .ip(ip)
        .record(&tx)
        .await;
    tx.commit().await?;
    Ok(())
}

/// The invitation a link's token names (the first mail's or the reminder's).
async fn par_jeton(db: &impl ConnectionTrait, jeton: &str) -> Result<Option<invitations::Model>, AppError> {
    if jeton.is_empty() {
        return Ok(None);
    }
    let h = hash(jeton.trim());
    Ok(invitations::Entity::find()
        .filter(Condition::any().add(invitations::Column::JetonHash.eq(h.clone())).add(invitations::Column::JetonRappelHash.eq(h)))
        .one(db)
        .await?)
}

fn utilisable(i: &invitations::Model, now: DateTime<FixedOffset>) -> bool {
    i.user_id.is_none() && i.refusee_at.is_none() && i.expire_at.is_some_and(|e| e > now)
}

/// The invited person's page: the form's prefilled values, or why there is
/// none. The first opening is recorded (a step of the invitation's life).
pub async fn ouvrir(db: &DatabaseConnection, jeton: &str) -> Result<InvitationOuverte, AppError> {
    let Some(i) = par_jeton(db, jeton).await? else { return Ok(InvitationOuverte::Invalide) };
    let now = Utc::now().fixed_offset();
    if i.refusee_at.is_some() {
        return Ok(InvitationOuverte::Refusee);
    }
    if !utilisable(&i, now) {
        return Ok(InvitationOuverte::Invalide);
    }
    invitations::Entity::update_many()
        .col_expr(invitations::Column::OuverteAt, Expr::value(now))
        .filter(invitations::Column::Id.eq(i.id))
        .filter(invitations::Column::OuverteAt.is_null())
        .exec(db)
        .await?;
    let rattachement = rattachements(db, std::slice::from_ref(&i)).await?.remove(&i.id).unwrap_or_default();
    let mut valeurs: Vec<(String, String)> =
        vec![("prenom".into(), i.prenom.clone()), ("nom".into(), i.nom.clone()), ("email".into(), i.email.clone())];
    let mut champ = |nom: &str, valeur: Option<String>| {
        if let Some(v) = valeur {
            valeurs.push((nom.to_string(), v));
        }
    };
    champ("tribunal_id", i.tribunal_id.map(|v| v.to_string()));
    champ("service_id", i.service_id.map(|v| v.to_string()));
    champ("etablissement_id", i.etablissement_id.map(|v| v.to_string()));
    champ("siret", i.siret.clone());
    if i.role == Role::Direction.as_str() {
        champ("direction_type", Some("departemental".into()));
        champ("departement_code", Some(i.departement_code.clone()));
        let nom = departements::Entity::find_by_id(i.departement_code.clone()).one(db).await?.map(|d| d.nom).unwrap_or_default();
        champ("structure", Some(format!("DDETS — {nom}")));
    }
    let role_label = Role::parse(&i.role).map(|r| r.label().to_string()).unwrap_or_default();
    Ok(InvitationOuverte::Valide { role: i.role.clone(), role_label, rattachement, valeurs })
}

/// "Ne plus recevoir ces invitations": honoured for good (no reminder, and a
/// later import reports the address instead of inviting it again).
pub async fn refuser(db: &DatabaseConnection, jeton: &str, ip: Option<String>) -> Result<(), AppError> {
    let i = par_jeton(db, jeton).await?.ok_or_else(|| AppError::Invalide(LIEN_INVALIDE.into()))?;
    if i.user_id.is_some() {
        return Err(AppError::Conflit("Un compte a déjà été créé avec cette invitation : rien n'est changé.".into()));
    }
    let tx = crate::db::begin(db).await?;
    // Only the address is kept (to write no more): the names go.
    let pris = invitations::Entity::update_many()
        .col_expr(invitations::Column::RefuseeAt, Expr::value(Utc::now().fixed_offset()))
        .col_expr(invitations::Column::Prenom, Expr::value(""))
        .col_expr(invitations::Column::Nom, Expr::value(""))
        .filter(invitations::Column::Id.eq(i.id))
        .filter(invitations::Column::RefuseeAt.is_null())
        .filter(invitations::Column::UserId.is_null())
        .exec(&tx)
        .await?;
    if pris.rows_affected == 1 {
        AuditEvent::system("invitation.refus")
            .target("invitation", i.id)
            .summary(format!("{} ne veut plus d'invitation", i.email))
            .ip(ip)
            .record(&tx)
            .await;
    }
    tx.commit().await?;
    Ok(())
}

/// The invitation a sign-up comes with, if its link still serves.
pub async fn pour_inscription(db: &impl ConnectionTrait, jeton: &str) -> Result<invitations::Model, AppError> {
    match par_jeton(db, jeton).await? {
        Some(i) if utilisable(&i, Utc::now().fixed_offset()) => Ok(i),
        _ => Err(AppError::Conflit(LIEN_INVALIDE.into())),
    }
}

/// Uses the invitation for the account just created: decided by one
/// conditional update (single use — two sign-ups racing on one link, one wins).
pub async fn utiliser(db: &impl ConnectionTrait, id: i32, user_id: i32) -> Result<(), AppError> {
    let now = Utc::now().fixed_offset();
    let pris = invitations::Entity::update_many()
        .col_expr(invitations::Column::UserId, Expr::value(user_id))
        .col_expr(invitations::Column::CompteCreeAt, Expr::value(now))
        .filter(invitations::Column::Id.eq(id))
        .filter(invitations::Column::UserId.is_null())
        .filter(invitations::Column::RefuseeAt.is_null())
        .filter(invitations::Column::ExpireAt.gt(now))
        .exec(db)
        .await?;
    if pris.rows_affected == 1 {
        Ok(())
    } else {
        Err(AppError::Conflit(LIEN_INVALIDE.into()))
    }
}

/// What the team imported, as the sign-up compares it.
pub fn attendu(i: &invitations::Model) -> Option<Attendu> {
    Some(Attendu {
        email: i.email.clone(),
        role: Role::parse(&i.role)?,
        tribunal_id: i.tribunal_id,
        service_id: i.service_id,
        etablissement_id: i.etablissement_id,
        siret: i.siret.clone(),
        departement_code: i.departement_code.clone(),
    })
}

/// The team's page: the invitations of a territory at each step, the most
/// recent listed with their life, and the last imports with their reports.
#[tracing::instrument(skip_all, err)]
pub async fn page(db: &DatabaseConnection, caller: &Caller, filtres: &FiltresInvitations) -> Result<PageInvitations, AppError> {
    caller.require(&Role::ADMIN)?;
    let given = |v: &Option<String>| v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_string);
    let departement = given(&filtres.departement);
    let tous = departements::Entity::find().order_by_asc(departements::Column::Code).all(db).await?;
    if let Some(d) = &departement {
        if !tous.iter().any(|t| &t.code == d) {
            return Err(AppError::Invalide(format!("Département inconnu : « {d} ».")));
        }
    }
    let voulue = match given(&filtres.etape) {
        Some(code) => Some(Etape::parse(&code).ok_or_else(|| AppError::Invalide(format!("Étape inconnue : « {code} ».")))?),
        None => None,
    };
    let mut requete = invitations::Entity::find();
    if let Some(d) = &departement {
        requete = requete.filter(invitations::Column::DepartementCode.eq(d.clone()));
    }
    let lignes = requete.order_by_desc(invitations::Column::ImporteeAt).order_by_desc(invitations::Column::Id).all(db).await?;
    // First sign-in of the accounts created: the first recorded sign-in, else
    // the last one known (accounts older than the usage records).
    let comptes: Vec<i32> = lignes.iter().filter_map(|i| i.user_id).collect();
    let mut connexions: HashMap<i32, DateTime<FixedOffset>> = HashMap::new();
    for lot in comptes.chunks(500) {
        for u in users::Entity::find().filter(users::Column::Id.is_in(lot.to_vec())).all(db).await? {
            if let Some(at) = u.last_login_at {
                connexions.insert(u.id, at);
            }
        }
        let premieres: Vec<(i32, DateTime<FixedOffset>)> = usages::Entity::find()
            .select_only()
            .column(usages::Column::UserId)
            .column_as(usages::Column::At.min(), "premiere")
            .filter(usages::Column::Action.eq("connexion"))
            .filter(usages::Column::UserId.is_in(lot.to_vec()))
            .group_by(usages::Column::UserId)
            .into_tuple()
            .all(db)
            .await?;
        connexions.extend(premieres);
    }
    let now = Utc::now().fixed_offset();
    let etape_de = |i: &invitations::Model| {
        etape(Dates {
            envoyee: i.envoyee_at.is_some(),
            ouverte: i.ouverte_at.is_some(),
            compte: i.user_id.is_some(),
            connectee: i.user_id.is_some_and(|u| connexions.contains_key(&u)),
            refusee: i.refusee_at.is_some(),
            expiree: i.expire_at.is_some_and(|e| e <= now),
        })
    };
    let mut par_etape: Vec<(Etape, i64)> = Etape::ALL.iter().map(|e| (*e, 0)).collect();
    let mut montrees: Vec<&invitations::Model> = Vec::new();
    let mut total = 0;
    for i in &lignes {
        let e = etape_de(i);
        if let Some((_, n)) = par_etape.iter_mut().find(|(x, _)| *x == e) {
            *n += 1;
        }
        if voulue.is_none_or(|v| v == e) {
            total += 1;
            if montrees.len() < LISTE_MAX as usize {
                montrees.push(i);
            }
        }
    }
    let montrees: Vec<invitations::Model> = montrees.into_iter().cloned().collect();
    let noms = rattachements(db, &montrees).await?;
    let nom_departement = |code: &str| tous.iter().find(|d| d.code == code).map(|d| format!("{} — {}", d.code, d.nom)).unwrap_or_default();
    let invitations = montrees
        .iter()
        .map(|i| {
            let mut vie = vec![("Importée".to_string(), jour_a_paris(i.importee_at))];
            let mut pas = |label: &str, at: Option<DateTime<FixedOffset>>| {
                if let Some(at) = at {
                    vie.push((label.to_string(), jour_a_paris(at)));
                }
            };
            pas("Envoyée", i.envoyee_at);
            pas("Rappel", i.rappel_at);
            pas("Lien ouvert", i.ouverte_at);
            pas("Compte créé", i.compte_cree_at);
            pas("Première connexion", i.user_id.and_then(|u| connexions.get(&u).copied()));
            pas("Ne veut plus d'invitation", i.refusee_at);
            if i.user_id.is_none() && i.refusee_at.is_none() {
                pas(if i.expire_at.is_some_and(|e| e <= now) { "Expirée" } else { "Valable jusqu'au" }, i.expire_at);
            }
            InvitationVue {
                id: i.id,
                nom: format!("{} {}", i.prenom, i.nom),
                email: i.email.clone(),
                role_label: Role::parse(&i.role).map(|r| r.label().to_string()).unwrap_or_default(),
                departement: nom_departement(&i.departement_code),
                rattachement: noms.get(&i.id).cloned().unwrap_or_default(),
                etape: etape_de(i),
                vie,
            }
        })
        .collect();
    let imports = imports_invitations::Entity::find().order_by_desc(imports_invitations::Column::Id).limit(10).all(db).await?;
    let auteurs: HashMap<i32, String> = users::Entity::find()
        .filter(users::Column::Id.is_in(imports.iter().filter_map(|i| i.auteur_user_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, format!("{} {}", u.prenom, u.nom)))
        .collect();
    let imports = imports
        .into_iter()
        .map(|i| ImportVue {
            id: i.id,
            le: jour_a_paris(i.created_at),
            departement: nom_departement(&i.departement_code),
            fichier: i.fichier,
            auteur: i.auteur_user_id.and_then(|a| auteurs.get(&a).cloned()).unwrap_or_default(),
            importees: i.importees,
            signalements: i.signalements.lines().map(str::to_string).filter(|l| !l.is_empty()).collect(),
        })
        .collect();
    Ok(PageInvitations {
        filtres: FiltresInvitations { departement, etape: voulue.map(|e| e.code().to_string()) },
        par_etape,
        invitations,
        total,
        imports,
        departements: tous.iter().map(|d| (d.code.clone(), format!("{} — {}", d.code, d.nom))).collect(),
    })
}
