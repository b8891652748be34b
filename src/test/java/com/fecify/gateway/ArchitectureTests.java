package com.fecify.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import org.junit.jupiter.api.Test;

/**
 * Dependencies point one way: api → batch → audit → update → store → error; security and web → error (security
 * also → session, whose browser sessions are one of its callers; session → error, fields); the field
 * table ({@code fields}) and the root package (the caller, the routes, the filter orders) are read by all and read
 * nothing of ours; demo touches nothing of ours. No cycles.
 */
class ArchitectureTests {

    private static final JavaClasses GATEWAY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("com.fecify.gateway");

    private static void mayNotUse(String packageName, String... others) {
        noClasses()
                .that()
                .resideInAPackage("..gateway." + packageName + "..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(java.util.Arrays.stream(others)
                        .map(other -> "..gateway." + other + "..")
                        .toArray(String[]::new))
                .check(GATEWAY);
    }

    @Test
    void errorDependsOnNoFeature() {
        mayNotUse("error", "api", "batch", "audit", "update", "store", "security", "session", "web", "demo");
    }

    @Test
    void theStoreKnowsNothingOfCallers() {
        mayNotUse("store", "api", "batch", "audit", "update", "security", "session", "web", "demo");
    }

    @Test
    void securityAndWebDependOnlyOnError() {
        mayNotUse("security", "api", "batch", "audit", "update", "store", "web", "demo");
        mayNotUse("web", "api", "batch", "audit", "update", "store", "security", "session", "demo");
        // browser sessions sign users in; security makes a session one of its callers
        mayNotUse("session", "api", "batch", "audit", "update", "store", "security", "web", "demo");
    }

    @Test
    void theUpdateExchangeKnowsNothingOfWhatUsesIt() {
        mayNotUse("update", "api", "batch", "audit", "security", "session", "web", "demo");
        mayNotUse("audit", "api", "batch", "store", "security", "session", "web", "demo");
        mayNotUse("batch", "api", "security", "session", "web", "demo");
        mayNotUse("api", "security", "session", "web", "demo");
    }

    @Test
    void theFieldTableStandsAlone() {
        mayNotUse("fields", "api", "batch", "audit", "update", "store", "security", "session", "web", "demo", "error");
    }

    @Test
    void noPackageCycles() {
        SlicesRuleDefinition.slices()
                .matching("com.fecify.gateway.(*)..")
                .should()
                .beFreeOfCycles()
                .check(GATEWAY);
    }

    @Test
    void demoIsAnOutsideServer() {
        mayNotUse("demo", "api", "batch", "audit", "update", "store", "security", "session", "web", "error");
        noClasses()
                .that()
                .resideOutsideOfPackage("..gateway.demo..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("..gateway.demo..")
                .check(GATEWAY);
    }
}
