//! The OpenAPI document of the JSON API, served at `/api/openapi.json`, read
//! at `/api/docs` (`api_reference`) and tried at `/api/explorateur` (Swagger UI).

use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "API e-MJPM",
        description = "Recherche de mandataires judiciaires à la protection des majeurs et réservation de mesures. \
            Authentification par cookie de session (POST /api/v1/auth/login).",
        version = "1"
    ),
    paths(
        crate::accounts::handlers::api_login,
        crate::accounts::handlers::api_logout,
        crate::search::api::list,
        crate::search::api::one,
        crate::search::api::communes,
        crate::measures::api::create,
        crate::measures::api::list,
        crate::measures::api::one,
        crate::measures::api::amend,
        crate::measures::api::create_own,
        crate::measures::api::cancel,
        crate::measures::api::accept,
        crate::measures::api::close,
        crate::measures::api::refuse,
        crate::measures::api::reactivate,
        crate::measures::api::add_etat,
        crate::measures::api::my_capacity,
        crate::measures::api::set_my_capacity,
        crate::measures::api::confirm_my_capacity,
        crate::measures::api::set_antenne_capacity,
        crate::feedback::api::give,
        crate::feedback::api::list,
        crate::rollout::api::list,
        crate::adoption::api::funnel,
        crate::rescue::api::list,
        crate::statistiques::api::publiques,
        crate::statistiques::territoire::api::statistiques,
        crate::repartition::api::repartition,
    ),
    tags(
        (name = "authentification", description = "Ouvrir et fermer une session"),
        (name = "recherche", description = "Trouver un mandataire (magistrats et greffiers)"),
        (name = "mesures", description = "Réserver et suivre les mesures"),
        (name = "capacite", description = "Capacité déclarée par les mandataires et leurs antennes"),
        (name = "deploiement", description = "L'ouverture du service, département par département (équipe e-MJPM)"),
        (name = "avis", description = "Donner son avis sur e-MJPM ; les avis lus par l'équipe"),
        (name = "statistiques", description = "Les chiffres du service : publics, recalculés chaque jour ; ceux d'un territoire, pour les directions ; la répartition des réservations d'un tribunal"),
    )
)]
pub struct ApiDoc;
