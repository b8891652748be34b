package com.fecify.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Dependencies point one way: customer → upstream → error; security and web → error; demo touches nothing of ours. */
class ArchitectureTests {

    private static final JavaClasses GATEWAY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("com.fecify.gateway");

    @Test
    void errorDependsOnNoFeature() {
        noClasses()
                .that()
                .resideInAPackage("..gateway.error..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "..gateway.customer..",
                        "..gateway.upstream..",
                        "..gateway.security..",
                        "..gateway.web..",
                        "..gateway.demo..")
                .check(GATEWAY);
    }

    @Test
    void upstreamKnowsNothingOfCallers() {
        noClasses()
                .that()
                .resideInAPackage("..gateway.upstream..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "..gateway.customer..", "..gateway.security..", "..gateway.web..", "..gateway.demo..")
                .check(GATEWAY);
    }

    @Test
    void securityAndWebDependOnlyOnError() {
        noClasses()
                .that()
                .resideInAnyPackage("..gateway.security..", "..gateway.web..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("..gateway.customer..", "..gateway.upstream..", "..gateway.demo..")
                .check(GATEWAY);
    }

    @Test
    void customerDoesNotReachIntoSecurityOrWeb() {
        noClasses()
                .that()
                .resideInAPackage("..gateway.customer..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("..gateway.security..", "..gateway.web..", "..gateway.demo..")
                .check(GATEWAY);
    }

    @Test
    void demoIsAnOutsideServer() {
        noClasses()
                .that()
                .resideInAPackage("..gateway.demo..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "..gateway.customer..",
                        "..gateway.upstream..",
                        "..gateway.security..",
                        "..gateway.web..",
                        "..gateway.error..")
                .check(GATEWAY);
        noClasses()
                .that()
                .resideOutsideOfPackage("..gateway.demo..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("..gateway.demo..")
                .check(GATEWAY);
    }
}
