//! The roles of e-MJPM and where each one lands after signing in.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// MJPM working alone.
    Individuel,
    /// MJPM employed by an établissement.
    Prepose,
    /// Member of a service mandataire (association).
    Service,
    Magistrat,
    Greffier,
    /// State agent (national, régional or départemental).
    Direction,
    /// The product team.
    Admin,
}

impl Role {
    pub const ALL: [Role; 7] =
        [Role::Individuel, Role::Prepose, Role::Service, Role::Magistrat, Role::Greffier, Role::Direction, Role::Admin];

    /// Magistrats and greffiers: a tribunal's members, same scope, same pages.
    pub const TRIBUNAL: [Role; 2] = [Role::Magistrat, Role::Greffier];
    /// The professionals to whom measures are given.
    pub const MANDATAIRES: [Role; 3] = [Role::Individuel, Role::Prepose, Role::Service];
    /// Those who roll the service out: State agents and the product team.
    pub const PILOTAGE: [Role; 2] = [Role::Direction, Role::Admin];
    /// The product team only.
    pub const ADMIN: [Role; 1] = [Role::Admin];
    /// Whoever follows measures: the product team, tribunals and professionals
    /// (not the directions, which see figures only).
    pub const MESURES: [Role; 6] = [Role::Admin, Role::Magistrat, Role::Greffier, Role::Individuel, Role::Prepose, Role::Service];

    /// The value stored in `users.role`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Individuel => "individuel",
            Role::Prepose => "prepose",
            Role::Service => "service",
            Role::Magistrat => "magistrat",
            Role::Greffier => "greffier",
            Role::Direction => "direction",
            Role::Admin => "admin",
        }
    }

    pub fn parse(value: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.as_str() == value)
    }

    /// How the role is named to users.
    pub fn label(self) -> &'static str {
        match self {
            Role::Individuel => "Mandataire individuel",
            Role::Prepose => "Mandataire préposé d'établissement",
            Role::Service => "Service mandataire",
            Role::Magistrat => "Magistrat",
            Role::Greffier => "Greffier",
            Role::Direction => "Direction (DDETS, DREETS, DGCS)",
            Role::Admin => "Administrateur",
        }
    }

    /// A professional to whom measures are given (individuel, préposé, service).
    pub fn is_mandataire(self) -> bool {
        Role::MANDATAIRES.contains(&self)
    }

    /// A member of a tribunal (magistrat or greffier): same scope, same pages.
    pub fn is_tribunal(self) -> bool {
        Role::TRIBUNAL.contains(&self)
    }

    /// The page the role lands on after signing in.
    pub fn home_path(self) -> &'static str {
        match self {
            Role::Individuel | Role::Prepose | Role::Service => "/mandataire",
            Role::Magistrat | Role::Greffier => "/tribunal",
            Role::Direction => "/direction",
            Role::Admin => "/admin",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_round_trips_through_its_stored_value() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("juge"), None);
    }

    #[test]
    fn judges_and_clerks_share_the_tribunal_home() {
        assert_eq!(Role::Magistrat.home_path(), Role::Greffier.home_path());
        assert!(Role::Greffier.is_tribunal());
        assert!(Role::Service.is_mandataire() && !Role::Admin.is_mandataire());
    }
}
