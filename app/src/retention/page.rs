//! `/donnees-personnelles`: what e-MJPM keeps, why, and for how long — the
//! durations the retention job applies.

use super::Conservation;
use crate::errors::AppError;
use crate::layout::kit::{Charge, Tableau};
use leptos::prelude::*;
use leptos_meta::Title;

#[leptos::server(prefix = "/api/fn", endpoint = "regles_conservation")]
pub async fn regles_conservation() -> Result<Conservation, AppError> {
    Ok(crate::state::app_state()?.conservation)
}

fn mois(n: u32) -> String {
    format!("{n} mois")
}

fn ans(n: u32) -> String {
    format!("{n} an{}", if n > 1 { "s" } else { "" })
}

#[component]
pub fn DonneesPersonnellesPage() -> impl IntoView {
    let regles = Resource::new(|| (), |_| regles_conservation());
    view! {
        <Title text="Données personnelles - e-MJPM"/>
        <div class="fr-container fr-py-6w">
            <h1>"Données personnelles"</h1>
            <p class="fr-text--lead">"e-MJPM garde le moins de données possible, le moins longtemps possible, et seulement pour aider les juges à confier chaque mesure au mandataire disponible le plus adapté."</p>
            <Charge data=regles vue=move |c| view! { <Durees c/> }/>
            <h2 class="fr-h4 fr-mt-4w">"Responsable du traitement"</h2>
            <p>"Le ministère chargé des solidarités — Direction générale de la cohésion sociale (DGCS), 14 avenue Duquesne, "
                "75350 Paris 07 SP. Le traitement répond à une mission d'intérêt public (article 6.1.e du RGPD) : "
                "aider à la désignation des mandataires judiciaires à la protection des majeurs (code civil, articles 440 et suivants ; "
                "code de l'action sociale et des familles, articles L. 471-1 et suivants)."</p>
            <h2 class="fr-h4">"Délégué à la protection des données"</h2>
            <p>"Le délégué à la protection des données des ministères sociaux : par courrier, DPD des ministères sociaux, "
                "14 avenue Duquesne, 75350 Paris 07 SP ; ou par l'adresse de contact de cette instance ("
                <a href="/mentions-legales">"mentions légales"</a>")."</p>
            <h2 class="fr-h4">"Vos droits"</h2>
            <p>"Vous pouvez consulter vos données et vos sessions sur la page « Mon compte ». Vous disposez d'un droit "
                "d'accès, de rectification, d'effacement et de limitation de vos données, et d'un droit d'opposition "
                "(articles 15 à 21 du RGPD) : écrivez à l'équipe qui exploite e-MJPM ou au délégué ci-dessus. "
                "Les personnes protégées exercent leurs droits auprès du tribunal qui a prononcé la mesure."</p>
            <p>"Si vous estimez, après nous avoir contactés, que vos droits ne sont pas respectés, vous pouvez adresser une "
                "réclamation à la CNIL : "<a href="https://www.cnil.fr/fr/plaintes" rel="noopener">"www.cnil.fr/fr/plaintes"</a>
                ", ou par courrier : CNIL, 3 place de Fontenoy, TSA 80715, 75334 Paris CEDEX 07."</p>
        </div>
    }
}

#[component]
fn Durees(c: Conservation) -> impl IntoView {
    let lignes: Vec<(&str, &str, String)> = vec![
        ("Votre compte : nom, prénom, adresse électronique, téléphone, rôle, rattachement",
         "vous donner accès aux seules données de votre tribunal, de votre structure ou de votre territoire",
         format!("tant que le compte sert ; sans connexion pendant {}, un courriel vous prévient, et le compte est désactivé après {} (sauf celui d'un administrateur)",
             mois(c.avertissement_inactivite_mois), mois(c.desactivation_inactivite_mois))),
        ("Une demande d'inscription (les informations saisies et le compte inactif créé)",
         "permettre à l'équipe e-MJPM de vérifier l'agrément et d'activer le compte",
         format!("jusqu'à la décision ; refusée, ou sans décision après {}, elle est supprimée et vous êtes prévenu",
             mois(c.inscriptions_sans_decision_mois))),
        ("La clé de double authentification (si vous l'activez ; obligatoire pour les administrateurs)",
         "vérifier le code de votre application à chaque connexion",
         "tant qu'elle est activée ; effacée quand vous la désactivez".to_string()),
        ("Les mesures : numéro RG, civilité et année de naissance de la personne, nature, lieu de vie (commune), dates, cause de fin",
         "connaître en temps réel la charge et les places de chaque mandataire",
         format!("{} après la fin de la mesure, avec ses états successifs et son historique", ans(c.mesures_eteintes_ans))),
        ("Les observations des juges sur un mandataire",
         "partager l'expérience du tribunal ; jamais visibles du mandataire ni d'un autre tribunal",
         "tant que le mandataire figure dans e-MJPM ; leur auteur peut les supprimer".to_string()),
        ("Le journal des connexions : réussies, échouées, déconnexions, avec l'adresse IP",
         "détecter et comprendre un accès anormal", mois(c.journal_connexions_mois)),
        ("Le journal d'audit : réservations, acceptations, clôtures, capacités, comptes",
         "retracer qui a fait quoi, quand", ans(c.audit_ans)),
        ("Les sessions ouvertes", "vous garder connecté pendant la journée", "12 heures".to_string()),
        ("Les compteurs de tentatives de connexion (adresse saisie, adresse IP)",
         "ralentir puis bloquer qui essaie de deviner un mot de passe", "30 minutes (5 de plus au plus pendant une attente)".to_string()),
        ("Les adresses IP depuis lesquelles vous vous êtes connecté",
         "ne jamais vous bloquer depuis vos appareils habituels quand quelqu'un d'autre essaie votre adresse",
         "1 an après la dernière connexion depuis chacune".to_string()),
        ("Le lien de déblocage envoyé après de nombreuses tentatives", "vous connecter depuis un nouvel appareil malgré le blocage",
         "1 heure (une seule utilisation)".to_string()),
        ("Les demandes et liens de nouveau mot de passe", "vous permettre d'en choisir un nouveau", "1 jour (un lien ne vaut qu'une heure)".to_string()),
        ("Vos avis (« Donner mon avis ») : niveau, ce que vous cherchiez à faire, commentaire, page concernée, et, si vous êtes connecté, votre compte, votre rôle et votre territoire ; l'adresse à laquelle vous répondre si vous le demandez",
         "améliorer le service, vous répondre si vous le demandez, vous prévenir quand l'évolution demandée est faite",
         format!("{}, avec les réponses de l'équipe", mois(c.avis_mois))),
        ("Vos actions utiles dans e-MJPM (connexion, recherche, réservation, acceptation, capacité, avis, consultation des chiffres) avec leur date ; le nombre de pages vues chaque jour par page et par rôle, sans compte ni adresse",
         "savoir qui a besoin d'aide pour utiliser le service (et les relances que l'équipe vous a faites, la question « pourquoi n'utilisez-vous plus e-MJPM ? » et votre réponse) et l'améliorer ; rien n'est envoyé hors d'e-MJPM, aucun traceur, aucun cookie autre que la session",
         mois(c.usages_mois)),
        ("Si l'équipe vous a invité : vos nom, prénom, adresse électronique, rôle et rattachement (tribunal ou structure), et la vie de l'invitation (envoi, ouverture du lien, compte créé)",
         "vous inviter, préremplir votre demande de compte, suivre le déploiement ; le lien est personnel, enregistré chiffré (empreinte), valable 30 jours et une seule fois",
         format!("{} après l'import si vous ne l'utilisez pas ; si vous demandez à ne plus être invité, seule votre adresse est gardée, pour ne plus vous écrire", mois(c.usages_mois))),
        ("Les courriels envoyés par e-MJPM", "vous prévenir (réservation, acceptation, expiration, sécurité)",
         format!("{} jours après leur envoi", c.courriels_jours)),
    ];
    view! {
        <Tableau legende="Données conservées" legende_cachee=true colonnes=vec!["Données", "Pourquoi", "Combien de temps"]>
            {lignes.into_iter().map(|(quoi, pourquoi, duree)| view! {
                <tr><td>{quoi}</td><td>{pourquoi}</td><td>{duree}</td></tr>
            }).collect_view()}
        </Tableau>
        <p class="fr-hint-text">"Les suppressions sont faites chaque jour par la tâche « conservation-donnees » ; son dernier bilan figure dans l'administration."</p>
    }
}
