//! `/direction/statistiques`: a territory's statistics for a period, each
//! figure as a table (the monthly ones and the load also drawn), every table
//! downloadable as CSV and XLSX. A plain GET form: readable and usable
//! without JavaScript and at 360 px.

use super::{ChoixStatistiques, LigneStat, StatistiquesTerritoire, TableauStat};
use crate::errors::AppError;
use crate::layout::form::{Posted, SelectField, TextField};
use crate::layout::kit::{query_string, Charge, Chiffre, FilAriane, Tableau};
use crate::rollout::carte::{CarteFrance, Contour, Forme};
use crate::rules::heure::jour_en_clair;
use crate::rules::texte::{duree, format_count};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The figures for the address's filters (`query`, its query string).
#[leptos::server(prefix = "/api/fn", endpoint = "statistiques_territoire")]
pub async fn load_statistiques(query: String) -> Result<StatistiquesTerritoire, AppError> {
    use super::FiltresStatistiques;
    let caller = crate::accounts::guard::caller().await?;
    let filtres: FiltresStatistiques = serde_urlencoded::from_str(query.trim_start_matches('?'))
        .map_err(|_| AppError::Invalide(crate::errors::FILTRES_ILLISIBLES.into()))?;
    let db = crate::state::app_state()?.db;
    super::service::statistiques(&db, &caller, &filtres).await.inspect_err(AppError::set_response_status)
}

#[leptos::server(prefix = "/api/fn", endpoint = "choix_statistiques")]
pub async fn load_choix() -> Result<ChoixStatistiques, AppError> {
    let caller = crate::accounts::guard::caller().await?;
    let db = crate::state::app_state()?.db;
    super::service::choix(&db, &caller).await.inspect_err(AppError::set_response_status)
}

/// The départements' outlines for the map of availability (none when the
/// site's boundaries file is absent: the table says it all).
#[leptos::server(prefix = "/api/fn", endpoint = "contours_statistiques")]
pub async fn load_contours() -> Result<Option<Vec<Contour>>, AppError> {
    use crate::rules::roles::Role;
    crate::accounts::guard::caller_with_role(&Role::PILOTAGE).await?;
    let state = crate::state::app_state()?;
    Ok(crate::rollout::carte::du_site(&state.leptos_options.site_root))
}

/// The filters, as the address carries them.
const FILTRES: [&str; 5] = ["debut", "fin", "departement", "tribunal", "type"];

#[component]
pub fn StatistiquesTerritoirePage() -> impl IntoView {
    let query = use_query_map();
    let filtres = move || {
        let map = query.read();
        query_string(FILTRES.iter().filter_map(|k| map.get(k).filter(|v| !v.trim().is_empty()).map(|v| (*k, v))))
    };
    let data = Resource::new(filtres, load_statistiques);
    let choix = Resource::new(|| (), |_| load_choix());
    let contours = Resource::new(|| (), |_| load_contours());
    // The address's filters, for the exports' links and the usual periods:
    // read when the view is drawn, so that they follow a client-side navigation.
    let adresse = move || {
        let map = query.read_untracked();
        FILTRES.iter().filter_map(|k| map.get(k).filter(|v| !v.is_empty()).map(|v| (k.to_string(), v))).collect::<Vec<_>>()
    };
    let types: Vec<(String, String)> =
        crate::rules::vocabulary::TYPES_GESTIONNAIRE.iter().map(|(code, label)| (code.to_string(), label.to_string())).collect();
    let vue_formulaire = move |choix: ChoixStatistiques| {
        let types = types.clone();
        // Drawn again when the address changes: the fields show what is shown.
        move || {
            let initial = |k: &str| query.read().get(k).unwrap_or_default();
            let posted = Posted::default();
            let plusieurs = choix.departements.len() > 1;
            view! {
                <PeriodesProposees filtres=adresse() aujourdhui=choix.aujourdhui.clone()/>
                <form method="get" action="/direction/statistiques" class="fr-mb-3w">
                    <div class="fr-grid-row fr-grid-row--gutters">
                        <div class="fr-col-6 fr-col-md-3">
                            <TextField posted=posted.clone() name="debut" label="Du" input_type="date" initial=initial("debut")/>
                        </div>
                        <div class="fr-col-6 fr-col-md-3">
                            <TextField posted=posted.clone() name="fin" label="Au" input_type="date" initial=initial("fin")/>
                        </div>
                        <p class="fr-col-12 fr-hint-text fr-mb-0">"Les chiffres se comptent par mois entiers : la période va du \
                            premier jour du mois de début au dernier jour du mois de fin (aujourd'hui pour le mois en cours)."</p>
                        {plusieurs.then(|| view! {
                            <div class="fr-col-12 fr-col-md-6">
                                <SelectField posted=posted.clone() name="departement" label="Département" options=choix.departements.clone()
                                    empty="Tout le territoire" initial=initial("departement")/>
                            </div>
                        })}
                        <div class="fr-col-12 fr-col-md-6">
                            <SelectField posted=posted.clone() name="tribunal" label="Tribunal (mesures de ce tribunal seulement)"
                                options=choix.tribunaux.clone() empty="Tous les tribunaux" initial=initial("tribunal")/>
                        </div>
                        <div class="fr-col-12 fr-col-md-6">
                            <SelectField posted=posted.clone() name="type" label="Type de mandataire" options=types.clone()
                                empty="Tous les types" initial=initial("type")/>
                        </div>
                    </div>
                    <button class="fr-btn fr-mt-2w" type="submit">"Afficher les statistiques"</button>
                </form>
            }
        }
    };
    view! {
        <Title text="Statistiques du territoire - e-MJPM"/>
        <div class="fr-container fr-py-4w">
            <FilAriane chemin=&[] page="Statistiques du territoire"/>
            <h1>"Statistiques du territoire"</h1>
            <p>"Les mesures des tribunaux de votre territoire sur la période choisie, ce que sont devenues leurs réservations, "
               "et les mandataires agréés dans le territoire aujourd'hui. Chaque graphique est suivi de son tableau ; "
               "chaque tableau se télécharge en CSV ou en XLSX."</p>
            <Charge data=choix vue=vue_formulaire/>
            <Charge data vue=move |s| view! { <Vue s adresse=adresse() contours/> }/>
        </div>
    }
}

/// The usual periods, one click each (the other filters kept), ending
/// `aujourdhui` (the server's day: the browser has no clock of its own here).
#[component]
fn PeriodesProposees(filtres: Vec<(String, String)>, aujourdhui: String) -> impl IntoView {
    let today = chrono::NaiveDate::parse_from_str(&aujourdhui, "%Y-%m-%d").unwrap_or_default();
    let autres: Vec<(String, String)> = filtres.into_iter().filter(|(k, _)| k != "debut" && k != "fin").collect();
    view! {
        <nav aria-label="Périodes usuelles" class="fr-mb-2w">
            <ul class="fr-btns-group fr-btns-group--inline-sm fr-btns-group--sm">
                {crate::rules::statistiques::periodes_proposees(today).into_iter().map(|(libelle, debut, fin)| {
                    let mut pairs = autres.clone();
                    pairs.push(("debut".into(), debut.format("%Y-%m-%d").to_string()));
                    pairs.push(("fin".into(), fin.format("%Y-%m-%d").to_string()));
                    let href = format!("/direction/statistiques?{}", query_string(pairs));
                    view! { <li><a class="fr-btn fr-btn--secondary" href=href>{libelle}</a></li> }
                }).collect_view()}
            </ul>
        </nav>
    }
}

/// A value as the page shows it: the number, "moins de 5" when small counts
/// are hidden, else "—" (nothing to compute).
fn en_clair(valeur: Option<i64>, masques: bool) -> String {
    match valeur {
        Some(n) => format_count(n),
        None if masques => crate::rules::statistiques::en_clair(None),
        None => "—".to_string(),
    }
}

#[component]
fn Vue(
    s: StatistiquesTerritoire,
    adresse: Vec<(String, String)>,
    contours: Resource<Result<Option<Vec<Contour>>, AppError>>,
) -> impl IntoView {
    let masques = s.petits_nombres_masques;
    let export = move |format: &str, tableau: Option<&str>| {
        let mut pairs = adresse.clone();
        pairs.push(("format".into(), format.into()));
        if let Some(code) = tableau {
            pairs.push(("tableau".into(), code.into()));
        }
        format!("/api/v1/statistiques?{}", query_string(pairs))
    };
    let e = s.essentiel.clone();
    // Counted in whole hours (rounded): under one, under half an hour.
    let delai = e
        .delai_median_minutes
        .map_or_else(|| en_clair(None, masques), |m| if m < 60 { "moins d'une demi-heure".to_string() } else { duree(m) });
    let anciens = e.part_chiffres_anciens.map_or_else(|| "—".to_string(), |p| format!("{p} %"));
    let (csv_tout, xlsx_tout) = (export("csv", None), export("xlsx", None));
    view! {
        <h2 class="fr-h4">{format!("{} — du {} au {}", s.territoire, jour_en_clair(&s.debut), jour_en_clair(&s.fin))}</h2>
        {masques.then(|| view! {
            <p class="fr-text--sm">"Filtré sur un tribunal : les nombres de moins de 5 sont remplacés par « moins de 5 », "
                "pour qu'aucune personne ne puisse être reconnue."</p>
        })}
        <div class="fr-grid-row fr-grid-row--gutters fr-mb-3w">
            <Chiffre valeur=en_clair(e.reservees, masques) libelle="mesures réservées par le service"/>
            <Chiffre valeur=en_clair(e.enregistrees, masques) libelle="mesures enregistrées directement"/>
            <Chiffre valeur=en_clair(e.en_cours, masques) libelle="mesures en cours à la fin de la période"/>
            <Chiffre valeur=delai libelle="délai médian de la réservation à l'acceptation"/>
            <Chiffre valeur=anciens libelle="des mandataires agréés ont des chiffres de plus de 30 jours"/>
        </div>
        <p>"Toutes les données : "<a class="fr-link fr-link--download" href=csv_tout download>"CSV"</a>" · "
            <a class="fr-link fr-link--download" href=xlsx_tout download>"XLSX (une feuille par tableau)"</a></p>
        {s.tableaux.into_iter().map(|t| {
            let (csv, xlsx) = (export("csv", Some(&t.code)), export("xlsx", Some(&t.code)));
            view! { <Section t masques csv xlsx contours/> }
        }).collect_view()}
    }
}

/// One figure: its title and what it counts, its chart, its table, its files.
#[component]
fn Section(
    t: TableauStat,
    masques: bool,
    csv: String,
    xlsx: String,
    contours: Resource<Result<Option<Vec<Contour>>, AppError>>,
) -> impl IntoView {
    // The availability by département is also drawn on the map of France.
    let carte = (t.code == "disponibilites_par_departement").then(|| {
        let t = t.clone();
        let vue = move |contours: Option<Vec<Contour>>| contours.map(|contours| view! { <CarteDisponibilites t=t.clone() contours/> });
        view! { <Charge data=contours attente="Chargement de la carte…" vue/> }
    });
    let colonnes = t.colonnes.clone();
    let titre = t.titre.clone();
    let (id, reference) = (t.code.clone(), t.code.clone());
    view! {
        <section class="fr-mt-4w" aria-labelledby=reference>
            <h2 class="fr-h5" id=id>{t.titre.clone()}</h2>
            <p>{t.explication.clone()}</p>
            {t.graphique.then(|| view! { <Graphique t=t.clone() masques/> })}
            {carte}
            <Tableau legende=titre colonnes legende_cachee=true>
                {t.lignes.into_iter().map(|l| view! { <Ligne l masques/> }).collect_view()}
            </Tableau>
            <p class="fr-text--sm">"Télécharger ce tableau : "
                <a class="fr-link fr-link--download" href=csv download>"CSV"</a>" · "
                <a class="fr-link fr-link--download" href=xlsx download>"XLSX"</a></p>
        </section>
    }
}

#[component]
fn Ligne(l: LigneStat, masques: bool) -> impl IntoView {
    view! {
        <tr>
            <th scope="row">{l.libelle}</th>
            {l.valeurs.into_iter().map(|v| view! { <td class="emjpm-nombre">{en_clair(v, masques)}</td> }).collect_view()}
        </tr>
    }
}

/// A table drawn: for each row, its label, then one horizontal bar per
/// column of values with the value written at its end; the columns told
/// apart by colour and by fill (plain, hatched) and named in a legend.
#[component]
fn Graphique(t: TableauStat, masques: bool) -> impl IntoView {
    const COULEURS: [&str; 2] = ["#000091", "#c9191e"];
    let series = t.colonnes.len().saturating_sub(1).clamp(1, 2);
    let plus_grand = t.lignes.iter().flat_map(|l| l.valeurs.iter().flatten()).copied().max().unwrap_or(0).max(1) as f64;
    let pas = 14.0 + 11.0 * series as f64 + 6.0;
    let legende = if series > 1 { 16.0 } else { 0.0 };
    let hauteur = legende + pas * t.lignes.len() as f64 + 4.0;
    let (titre_id, desc_id) = (format!("{}-graphique-titre", t.code), format!("{}-graphique-desc", t.code));
    let references = format!("{titre_id} {desc_id}");
    let hachures = format!("{}-hachures", t.code);
    let remplissage = {
        let hachures = hachures.clone();
        move |serie: usize| if serie == 0 { COULEURS[0].to_string() } else { format!("url(#{hachures})") }
    };
    let noms: Vec<String> = t.colonnes.iter().skip(1).take(series).cloned().collect();
    let description = format!(
        "Une ligne par {} ; {} Le tableau qui suit donne les nombres.",
        t.colonnes.first().map(|c| c.to_lowercase()).unwrap_or_default(),
        if series > 1 {
            format!(
                "deux barres par ligne : « {} » (pleine, bleue) et « {} » (hachurée, rouge), chacune suivie de son nombre.",
                noms[0], noms[1]
            )
        } else {
            "une barre d'autant plus longue que le nombre est grand, suivie du nombre.".to_string()
        }
    );
    view! {
        <figure class="fr-mb-2w">
            <svg role="img" aria-labelledby=references viewBox=format!("0 0 360 {hauteur}") width="100%"
                class="emjpm-graphique" xmlns="http://www.w3.org/2000/svg">
                <title id=titre_id>{t.titre.clone()}</title>
                <desc id=desc_id>{description}</desc>
                <defs>
                    <pattern id=hachures.clone() patternUnits="userSpaceOnUse" width="4" height="4" patternTransform="rotate(45)">
                        <rect width="4" height="4" fill="#fff"/>
                        <rect width="2" height="4" fill=COULEURS[1]/>
                    </pattern>
                </defs>
                {(series > 1).then(|| {
                    let remplissage = remplissage.clone();
                    noms.iter().enumerate().map(|(i, nom)| {
                        let x = 4.0 + 180.0 * i as f64;
                        view! {
                            <g>
                                <rect x=x y="3" width="12" height="9" fill=remplissage(i) stroke=COULEURS[i]/>
                                <text x=x + 16.0 y="11" font-size="9">{nom.clone()}</text>
                            </g>
                        }
                    }).collect_view()
                })}
                {t.lignes.iter().enumerate().map(|(r, ligne)| {
                    let y = legende + pas * r as f64;
                    let remplissage = remplissage.clone();
                    view! {
                        <g>
                            <text x="4" y=y + 10.0 font-size="9">{ligne.libelle.clone()}</text>
                            {ligne.valeurs.iter().take(series).enumerate().map(|(i, v)| {
                                let largeur = v.map_or(0.0, |n| 290.0 * n.max(0) as f64 / plus_grand);
                                let yb = y + 13.0 + 11.0 * i as f64;
                                view! {
                                    <g>
                                        <rect x="4" y=yb width=largeur.max(0.5) height="9" fill=remplissage(i) stroke=COULEURS[i]/>
                                        <text x=8.0 + largeur y=yb + 8.0 font-size="8">{en_clair(*v, masques)}</text>
                                    </g>
                                }
                            }).collect_view()}
                        </g>
                    }
                }).collect_view()}
            </svg>
        </figure>
    }
}

/// The classes of the map of availability: (lower bound of free places,
/// fill, legend). Told apart by lightness and, for none, by hatching.
const CLASSES_DISPONIBILITE: [(i64, &str, &str); 4] = [
    (i64::MIN, "url(#disponibilites-motif)", "aucune place libre (hachuré)"),
    (1, "#cacafb", "de 1 à 9 places libres"),
    (10, "#6a6af4", "de 10 à 49 places libres"),
    (50, "#000091", "50 places libres ou plus"),
];

/// The free places of each département of the territory on the map of
/// France, drawn on the server from the outlines the rollout map uses; the
/// départements outside the territory in light grey. Followed by the table.
#[component]
fn CarteDisponibilites(t: TableauStat, contours: Vec<Contour>) -> impl IntoView {
    // The rows read "59 — Nord"; the free places are the last column.
    let libres: std::collections::HashMap<String, (String, i64)> = t
        .lignes
        .iter()
        .filter_map(|l| {
            let code = l.libelle.split(" — ").next()?.to_string();
            Some((code, (l.libelle.clone(), l.valeurs.last().copied().flatten()?)))
        })
        .collect();
    let classe = |n: i64| CLASSES_DISPONIBILITE.iter().rev().find(|(min, _, _)| n >= *min).copied().unwrap_or(CLASSES_DISPONIBILITE[0]);
    let resume = format!(
        "{} du territoire ; {} sans place libre.",
        crate::rules::texte::compte(libres.len() as i64, "département", "départements"),
        libres.values().filter(|(_, n)| *n <= 0).count()
    );
    let formes = contours
        .into_iter()
        .map(|c| {
            let (remplissage, titre) = match libres.get(&c.code) {
                Some((nom, n)) => {
                    (classe(*n).1, format!("{nom} : {}", crate::rules::texte::compte((*n).max(0), "place libre", "places libres")))
                }
                None => ("#eeeeee", format!("{} : hors du territoire", c.code)),
            };
            Forme { d: c.d, remplissage: remplissage.to_string(), titre }
        })
        .collect();
    let legende = format!(
        "{} — plus la couleur est foncée, plus il y a de places ; gris clair : hors du territoire. \
         Les départements d'outre-mer sont sous la métropole.",
        CLASSES_DISPONIBILITE.iter().map(|(_, _, legende)| legende.to_string()).collect::<Vec<_>>().join(" ; ")
    );
    view! {
        <CarteFrance id="disponibilites" titre=String::from("Carte des places libres par département")
            description=format!("{resume} Le tableau qui suit donne les nombres.") formes motif=("#fff", "#c9191e") legende/>
    }
}
