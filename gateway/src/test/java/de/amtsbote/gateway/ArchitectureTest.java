package de.amtsbote.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.properties.HasName;
import com.tngtech.archunit.core.domain.properties.HasOwner;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The module and package rules of docs/architecture.md, checked on the compiled classes. */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("de.amtsbote");

    @Test
    void gatewayFeaturePackagesHaveNoCycles() {
        slices().matching("de.amtsbote.gateway.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void gatewayNeverNamesAChannelAdapterImplementation() {
        noClasses().that().resideInAPackage("de.amtsbote.gateway..")
                .should().dependOnClassesThat().resideInAPackage("de.amtsbote.adapter..")
                .because("adapters are found through ServiceLoader; adding a channel must not change the gateway")
                .check(CLASSES);
    }

    @Test
    void onlyCryptoChoosesAlgorithms() {
        noClasses().that().resideOutsideOfPackage("de.amtsbote.crypto..")
                .should().callMethodWhere(JavaCall.Predicates.target(HasOwner.Predicates.With.owner(
                        JavaClass.Predicates.belongToAnyOf(javax.crypto.Cipher.class, java.security.Signature.class,
                                javax.crypto.KeyAgreement.class, java.security.KeyPairGenerator.class,
                                javax.crypto.KeyGenerator.class, javax.crypto.Mac.class,
                                java.security.MessageDigest.class)))
                        .and(JavaCall.Predicates.target(HasName.Predicates.name("getInstance"))))
                .because("the algorithm policy in crypto/ picks every algorithm (docs/crypto-policy.md)")
                .check(CLASSES);
    }

    @Test
    void theAdapterSpiAndCryptoAreFreeOfSpring() {
        noClasses().that().resideInAnyPackage("de.amtsbote.spi..", "de.amtsbote.crypto..")
                .should().dependOnClassesThat().resideInAPackage("org.springframework..")
                .check(CLASSES);
    }

    @Test
    void adaptersDependOnlyOnTheSpiNotOnTheGateway() {
        noClasses().that().resideInAPackage("de.amtsbote.adapter..")
                .should().dependOnClassesThat().resideInAnyPackage("de.amtsbote.gateway..", "org.springframework..")
                .check(CLASSES);
    }

    @Test
    void sandboxPeersShareNoCodeWithAdaptersOrGateway() {
        noClasses().that().resideInAPackage("de.amtsbote.sandbox..")
                .should().dependOnClassesThat().resideInAnyPackage("de.amtsbote.adapter..", "de.amtsbote.gateway..",
                        "de.amtsbote.spi..")
                .because("a peer written from the protocol notes, not from adapter code, does not mirror its bugs")
                .check(CLASSES);
    }
}
