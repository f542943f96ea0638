//! The sign-up pages (`/inscription`: choose a profile, then its form) and the
//! administrators' page of sign-ups to decide (`/admin/inscriptions`). Plain
//! forms, the same with and without JavaScript.

use super::inscription::{ChoixInscription, InscriptionEnAttente, DIRECTIONS, ROLES};
use crate::errors::AppError;
use crate::layout::cadre::Cadre;
use crate::layout::form::{ErrorSummary, Posted, SelectField, TextField};
use crate::layout::kit::Charge;
use crate::rules::roles::Role;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The lists a role's form offers (public: tribunals, établissements, approved
/// services, régions, départements).
#[leptos::server(prefix = "/api/fn", endpoint = "choix_inscription")]
pub async fn load_choix_inscription(role: String) -> Result<ChoixInscription, AppError> {
    let db = crate::state::app_state()?.db;
    super::inscription::choices(&db, Role::parse(&role).filter(|r| ROLES.contains(r))).await
}

#[leptos::server(prefix = "/api/fn", endpoint = "inscriptions_en_attente")]
pub async fn inscriptions_en_attente() -> Result<Vec<InscriptionEnAttente>, AppError> {
    let caller = crate::accounts::guard::caller_with_role(&Role::ADMIN).await?;
    let db = crate::state::app_state()?.db;
    super::inscription::pending(&db, &caller).await.inspect_err(AppError::set_response_status)
}

/// What each profile is, on the choice page.
fn description(role: Role) -> &'static str {
    match role {
        Role::Individuel => "Vous exercez seul, avec un numéro SIRET et un agrément de la préfecture.",
        Role::Prepose => "Vous êtes salarié d'un établissement (hôpital, EHPAD) qui vous a désigné préposé.",
        Role::Service => "Vous travaillez dans une association ou un service mandataire déjà présent sur e-MJPM.",
        Role::Magistrat => "Juge des contentieux de la protection dans un tribunal judiciaire ou de proximité.",
        Role::Greffier => "Vous assistez les juges des tutelles d'un tribunal.",
        Role::Direction => "Agent de l'État (DDETS, DREETS, DGCS) qui suit les mandataires de son territoire.",
        Role::Admin => "",
    }
}

const CHAMPS: &[(&str, &str)] = &[
    ("prenom", "Prénom"),
    ("nom", "Nom"),
    ("email", "Adresse électronique"),
    ("telephone", "Téléphone"),
    ("nouveau", "Mot de passe"),
    ("confirmation", "Confirmation du mot de passe"),
    ("siret", "SIRET"),
    ("adresse", "Adresse"),
    ("commune", "Commune"),
    ("etablissement_id", "Établissement"),
    ("service_id", "Service"),
    ("tribunal_id", "Tribunal"),
    ("cabinet", "Cabinet"),
    ("direction_type", "Niveau de la direction"),
    ("region_code", "Région"),
    ("departement_code", "Département"),
    ("structure", "Nom de la direction"),
    ("mesures_max", "Mesures souhaitées"),
    ("tribunaux", "Tribunaux"),
];

/// The fields a refused sign-up sends back (never the passwords).
pub const RENVOYES: [(&str, &str); 17] = [
    ("role", ""),
    ("prenom", ""),
    ("nom", ""),
    ("email", ""),
    ("telephone", ""),
    ("siret", ""),
    ("adresse", ""),
    ("commune", ""),
    ("mesures_max", ""),
    ("tribunaux", ""),
    ("etablissement_id", ""),
    ("service_id", ""),
    ("tribunal_id", ""),
    ("cabinet", ""),
    ("direction_type", ""),
    ("region_code", ""),
    ("departement_code", ""),
];

#[component]
pub fn InscriptionPage() -> impl IntoView {
    // The profile links only change the query: the page follows it.
    let query = use_query_map();
    let choice = move || {
        let query = query.read();
        (query.get("envoye").is_some(), query.get("role").and_then(|r| Role::parse(&r)).filter(|r| ROLES.contains(r)))
    };
    view! {
        <Title text="Demander un compte - e-MJPM"/>
        <div class="fr-container fr-py-6w">
            <div class="fr-grid-row fr-grid-row--center">
                <div class="fr-col-12 fr-col-md-10 fr-col-lg-8">
                    {move || match choice() {
                        (true, _) => view! { <Envoyee/> }.into_any(),
                        (false, None) => view! { <ChoixProfil/> }.into_any(),
                        (false, Some(role)) => view! { <FormulaireInscription role/> }.into_any(),
                    }}
                </div>
            </div>
        </div>
    }
}

#[component]
fn Envoyee() -> impl IntoView {
    let active = use_query_map().read_untracked().get("active").is_some();
    if active {
        return view! {
            <h1>"Votre compte est activé"</h1>
            <div class="fr-alert fr-alert--success fr-mb-3w" role="status">
                <p>"Vous avez répondu à l'invitation de l'équipe e-MJPM avec les informations attendues : votre compte est "
                   "activé. Connectez-vous avec votre adresse électronique et le mot de passe choisi."</p>
            </div>
            <a class="fr-btn" href="/connexion">"Me connecter"</a>
        }
        .into_any();
    }
    view! {
        <h1>"Demande d'inscription envoyée"</h1>
        <div class="fr-alert fr-alert--success fr-mb-3w" role="status">
            <p>"Votre demande est enregistrée. Un courriel vous le confirme ; l'équipe e-MJPM la vérifie et vous écrit "
               "dès que votre compte est activé (ou s'il ne peut pas l'être). Pensez à regarder dans les courriers indésirables."</p>
        </div>
        <a class="fr-link" href="/connexion">"Revenir à la connexion"</a>
    }
    .into_any()
}

#[component]
fn ChoixProfil() -> impl IntoView {
    view! {
        <h1>"Demander un compte e-MJPM"</h1>
        <p>"Choisissez votre profil. Votre compte sera activé après vérification par l'équipe e-MJPM."</p>
        <ul class="emjpm-liste-simple">
            {ROLES.into_iter().map(|role| view! {
                <li class="fr-mb-2w">
                    <a class="fr-link fr-text--lg" href=format!("/inscription?role={}", role.as_str())>{role.label()}</a>
                    <p class="fr-text--sm fr-mb-0">{description(role)}</p>
                </li>
            }).collect_view()}
        </ul>
        <p class="fr-mt-3w">"Membre d'un service ? Un administrateur du service peut aussi vous inviter depuis e-MJPM."</p>
        <p><a class="fr-link" href="/connexion">"J'ai déjà un compte : me connecter"</a></p>
    }
}

#[component]
fn FormulaireInscription(role: Role) -> impl IntoView {
    view! {
        <p class="fr-mb-1w"><a class="fr-link" href="/inscription">"Changer de profil"</a></p>
        <h1>{format!("Demander un compte : {}", role.label().to_lowercase())}</h1>
        <FormulaireDeCompte role posted=Posted::from_query()/>
    }
}

/// The sign-up form of a role (its lists loaded), filled with `posted`; with
/// `invitation`, the token of the invitation's link it comes from.
#[component]
pub fn FormulaireDeCompte(role: Role, posted: Posted, #[prop(optional)] invitation: Option<String>) -> impl IntoView {
    let choix = Resource::new(move || role.as_str().to_string(), load_choix_inscription);
    view! {
        <p class="fr-text--sm">"Tous les champs sont obligatoires sauf mention contraire. "
            "Vos données servent à vous identifier et, pour un mandataire, à vous proposer aux juges ("
            <a href="/donnees-personnelles">"données personnelles"</a>")."</p>
        <ErrorSummary posted=posted.clone() title="La demande n'est pas envoyée" fields=CHAMPS/>
        <Charge data=choix attente="Chargement du formulaire…"
            vue=move |choix| view! { <ChampsInscription role posted=posted.clone() choix invitation=invitation.clone()/> }/>
    }
}

#[component]
fn ChampsInscription(role: Role, posted: Posted, choix: ChoixInscription, invitation: Option<String>) -> impl IntoView {
    let professional = matches!(role, Role::Individuel | Role::Prepose);
    let p = posted.clone();
    let specific = match role {
        Role::Individuel => view! {
            <TextField posted=p.clone() name="siret" label="Numéro SIRET" inputmode="numeric" required=true hint="14 chiffres"/>
            <TextField posted=p.clone() name="adresse" label="Adresse de votre activité" required=true autocomplete="street-address"
                hint="Numéro et voie : les juges voient la distance depuis cette adresse"/>
            <TextField posted=p.clone() name="commune" label="Commune" required=true hint="Nom ou code postal, par exemple « Lille (59000) »"/>
            <MesuresMax posted=p.clone()/>
            <TribunauxMultiples posted=p.clone() options=choix.tribunaux/>
        }.into_any(),
        Role::Prepose => view! {
            <SelectField posted=p.clone() name="etablissement_id" label="Établissement qui vous emploie" options=choix.etablissements required=true/>
            <MesuresMax posted=p.clone()/>
        }.into_any(),
        Role::Service => view! {
            <SelectField posted=p.clone() name="service_id" label="Service que vous rejoignez" options=choix.services required=true/>
        }.into_any(),
        Role::Magistrat | Role::Greffier => view! {
            <SelectField posted=p.clone() name="tribunal_id" label="Tribunal" options=choix.tribunaux required=true/>
            <TextField posted=p.clone() name="cabinet" label="Cabinet (facultatif)" hint="Par exemple « 2 » ou « tutelles majeurs »"/>
        }.into_any(),
        Role::Direction | Role::Admin => view! {
            <SelectField posted=p.clone() name="direction_type" label="Niveau de la direction"
                options=DIRECTIONS.iter().map(|(c, l)| (c.to_string(), l.to_string())).collect() required=true/>
            <SelectField posted=p.clone() name="departement_code" label="Département (direction départementale)" options=choix.departements
                empty="Sans objet"/>
            <SelectField posted=p.clone() name="region_code" label="Région (direction régionale)" options=choix.regions empty="Sans objet"/>
            <TextField posted=p.clone() name="structure" label="Nom de la direction" required=true hint="Par exemple « DDETS du Nord »"/>
        }.into_any(),
    };
    view! {
        <form method="post" action="/inscription" class="emjpm-formulaire" novalidate=true>
            <input type="hidden" name="role" value=role.as_str()/>
            {invitation.map(|jeton| view! { <input type="hidden" name="invitation" value=jeton/> })}
            <TextField posted=posted.clone() name="prenom" label="Prénom" required=true autocomplete="given-name"/>
            <TextField posted=posted.clone() name="nom" label="Nom" required=true autocomplete="family-name"/>
            <TextField posted=posted.clone() name="email" label="Adresse électronique" input_type="email" required=true
                autocomplete="email" hint="Elle sera votre identifiant. Format attendu : nom@domaine.fr"/>
            {if professional {
                view! { <TextField posted=posted.clone() name="telephone" label="Téléphone" input_type="tel" required=true autocomplete="tel"
                    hint="Les juges vous joignent à ce numéro"/> }.into_any()
            } else {
                view! { <TextField posted=posted.clone() name="telephone" label="Téléphone (facultatif)" input_type="tel" autocomplete="tel"/> }.into_any()
            }}
            {specific}
            <TextField posted=posted.clone() name="nouveau" label="Mot de passe" input_type="password" autocomplete="new-password" required=true
                hint="12 caractères au moins ; une phrase de quelques mots est solide et facile à retenir."/>
            <TextField posted=posted name="confirmation" label="Confirmation du mot de passe" input_type="password" autocomplete="new-password" required=true/>
            <button class="fr-btn fr-mt-2w" type="submit">"Envoyer ma demande"</button>
        </form>
    }
}

#[component]
fn MesuresMax(posted: Posted) -> impl IntoView {
    view! {
        <TextField posted name="mesures_max" label="Nombre de mesures souhaitées" input_type="number" inputmode="numeric" required=true
            hint="Le nombre total de mesures que vous voulez suivre ; vous pourrez le changer à tout moment"/>
    }
}

/// The tribunals an individuel works with (several: a native multiple select,
/// usable without JavaScript and on phones).
#[component]
fn TribunauxMultiples(posted: Posted, options: Vec<(String, String)>) -> impl IntoView {
    let message = posted.error("tribunaux");
    let chosen = posted.all("tribunaux");
    let class = if message.is_some() { "fr-select-group fr-select-group--error" } else { "fr-select-group" };
    view! {
        <div class=class>
            <label class="fr-label" for="tribunaux">"Tribunaux où vous exercez (facultatif)"
                <span class="fr-hint-text" id="tribunaux-aide">"Plusieurs choix possibles (Ctrl ou Cmd + clic sur un ordinateur). "
                    "Ils ne seront retenus que dans les départements où vous êtes agréé."</span>
            </label>
            <select class="fr-select" id="tribunaux" name="tribunaux" multiple=true size="6" aria-describedby="tribunaux-aide">
                {options.into_iter().map(|(code, text)| {
                    let selected = chosen.contains(&code);
                    view! { <option value=code selected=selected>{text}</option> }
                }).collect_view()}
            </select>
            {message.map(|m| view! { <p class="fr-error-text" id="tribunaux-erreur">{m}</p> })}
        </div>
    }
}

fn confirmation(code: &str) -> Option<&'static str> {
    match code {
        "valide" => Some("Le compte est activé : la personne est prévenue par courriel."),
        "refuse" => Some("L'inscription est refusée : la personne a reçu le motif ; ses données sont supprimées."),
        _ => None,
    }
}

#[component]
pub fn InscriptionsPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| inscriptions_en_attente());
    let confirmation = crate::layout::cadre::fait().and_then(|c| confirmation(&c));
    view! {
        <Cadre titre="Inscriptions à valider" chemin=&[("/admin", "Administration")] confirmation data
            vue=|inscriptions| view! { <ListeInscriptions inscriptions/> }/>
    }
}

#[component]
fn ListeInscriptions(inscriptions: Vec<InscriptionEnAttente>) -> impl IntoView {
    let posted = Posted::from_query();
    let pour: Option<i32> = posted.value_or("pour", "").parse().ok();
    if inscriptions.is_empty() {
        return view! {
            {posted.general_error().map(|m| view! { <div class="fr-alert fr-alert--error fr-mb-3w" role="alert"><p>{m}</p></div> })}
            <p>"Aucune inscription n'attend de décision."</p>
        }
        .into_any();
    }
    let (attente, a_decider): (Vec<_>, Vec<_>) = inscriptions.into_iter().partition(|i| i.liste_attente);
    let cartes = move |liste: Vec<InscriptionEnAttente>| {
        let posted = posted.clone();
        liste
            .into_iter()
            .map(|i| {
                let posted = if pour == Some(i.user_id) { posted.clone() } else { Posted::default() };
                view! { <CarteInscription inscription=i posted/> }
            })
            .collect_view()
    };
    let n_attente = attente.len() as i64;
    view! {
        <p>{format!("{} à décider, la plus ancienne en premier.", crate::rules::texte::compte(a_decider.len() as i64, "inscription", "inscriptions"))}</p>
        {cartes.clone()(a_decider)}
        {(n_attente > 0).then(|| view! {
            <h2 class="fr-mt-5w" id="liste-attente">{format!("Liste d'attente : territoires pas encore ouverts ({n_attente})")}</h2>
            <p>"Ces personnes viennent d'un département qui n'est ni en pilote ni ouvert. Vous pouvez les décider ici une par une, "
               "ou les valider en une fois depuis la page du département quand il ouvre ("<a href="/admin/deploiement">"Déploiement"</a>")."</p>
            {cartes(attente)}
        })}
    }
    .into_any()
}

#[component]
fn CarteInscription(inscription: InscriptionEnAttente, posted: Posted) -> impl IntoView {
    let i = inscription;
    let id = i.user_id;
    let titre = format!("{} — {}", i.nom, i.role_label);
    let entry_error = posted.error("liste_blanche_id");
    let motif_error = posted.error("motif");
    let fieldset_class = if entry_error.is_some() { "fr-fieldset fr-fieldset--error" } else { "fr-fieldset" };
    let motif_class = if motif_error.is_some() { "fr-input-group fr-input-group--error" } else { "fr-input-group" };
    let motif_invalid = motif_error.is_some().then_some("true");
    let radio = move |value: String| format!("lb-{id}-{value}");
    view! {
        <section class="fr-card fr-card--no-arrow fr-mb-3w fr-p-3w" aria-labelledby=format!("inscription-{id}")>
            <h2 class="fr-h5" id=format!("inscription-{id}")>{titre.clone()}</h2>
            {posted.general_error().map(|m| view! { <div class="fr-alert fr-alert--error fr-alert--sm fr-mb-2w" role="alert"><p>{m}</p></div> })}
            <dl class="emjpm-fiche">
                <dt>"Adresse électronique"</dt><dd>{i.email.clone()}</dd>
                {i.telephone.clone().map(|t| view! { <dt>"Téléphone"</dt><dd>{t}</dd> })}
                <dt>"Demandée le"</dt><dd>{i.demandee_le.clone()}</dd>
                {i.territoire.clone().map(|t| view! { <dt>"Territoire"</dt><dd>{if i.liste_attente { format!("{t} (pas encore ouvert)") } else { t }}</dd> })}
                {i.details.into_iter().map(|(label, value)| view! { <dt>{label}</dt><dd>{value}</dd> }).collect_view()}
            </dl>
            <form method="post" action=format!("/admin/inscriptions/{id}/valider") class="fr-mt-2w">
                {i.rattachable.then(|| view! {
                    <fieldset class=fieldset_class
                        id=format!("liste_blanche_id-{id}") aria-labelledby=format!("lb-legende-{id}")>
                        <legend class="fr-fieldset__legend fr-text--regular" id=format!("lb-legende-{id}")>
                            "Entrée de la liste blanche (agrément)"
                            <span class="fr-hint-text">"Un mandataire n'apparaît dans les recherches des juges qu'une fois rattaché à son agrément."</span>
                        </legend>
                        {i.candidats.iter().enumerate().map(|(n, c)| {
                            let value = c.id.to_string();
                            let label = format!("n° {} — {} ({}) — agréé : {}", c.id, c.nom, c.raisons.join(", "),
                                if c.agrements.is_empty() { "aucun département".to_string() } else { c.agrements.clone() });
                            view! {
                                <div class="fr-fieldset__element">
                                    <div class="fr-radio-group">
                                        <input type="radio" id=radio(value.clone()) name="liste_blanche_id" value=value.clone() checked={n == 0}/>
                                        <label class="fr-label" for=radio(value)>{label}</label>
                                    </div>
                                </div>
                            }
                        }).collect_view()}
                        {i.candidats.is_empty().then(|| view! {
                            <p class="fr-fieldset__element fr-text--sm">"Aucune entrée ne correspond par SIRET, adresse, nom ou établissement."</p>
                        })}
                        <div class="fr-fieldset__element">
                            <div class="fr-radio-group">
                                <input type="radio" id=radio("aucune".into()) name="liste_blanche_id" value="aucune" checked=i.candidats.is_empty()/>
                                <label class="fr-label" for=radio("aucune".into())>"Ne pas rattacher pour l'instant (le compte est activé sans agrément)"</label>
                            </div>
                        </div>
                        <div class="fr-fieldset__element">
                            <div class="fr-input-group">
                                <label class="fr-label" for=format!("autre-{id}")>"Ou numéro d'une autre entrée (facultatif)"</label>
                                <input class="fr-input" type="text" inputmode="numeric" id=format!("autre-{id}") name="autre_entree"/>
                            </div>
                        </div>
                        {entry_error.map(|m| view! { <p class="fr-message fr-message--error">{m}</p> })}
                    </fieldset>
                })}
                <button class="fr-btn" type="submit">{format!("Valider l'inscription de {}", i.nom)}</button>
            </form>
            <form method="post" action=format!("/admin/inscriptions/{id}/refuser") class="fr-mt-3w">
                <div class=motif_class>
                    <label class="fr-label" for=format!("motif-{id}")>"Motif du refus"
                        <span class="fr-hint-text">"Envoyé à la personne ; ses données sont alors supprimées"</span></label>
                    <textarea class="fr-input" id=format!("motif-{id}") name="motif" rows="2"
                        aria-invalid=motif_invalid></textarea>
                    {motif_error.map(|m| view! { <p class="fr-error-text">{m}</p> })}
                </div>
                <button class="fr-btn fr-btn--secondary" type="submit">{format!("Refuser l'inscription de {}", i.nom)}</button>
            </form>
        </section>
    }
}
