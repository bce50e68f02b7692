package de.amtsbote.gateway.certificates;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import de.amtsbote.crypto.validation.PkixCertificateValidator;
import org.junit.jupiter.api.Test;

/**
 * Nothing in the gateway keeps an anchor set of its own: only the crypto configuration builds the PKIX validator
 * (behind the reloadable one), and nothing else names it. Anything that validates holds the reloadable bean.
 */
class TrustAnchorInjectionTest {

    private static final JavaClasses GATEWAY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("de.amtsbote.gateway");

    @Test
    void onlyTheCryptoConfigurationBuildsAPkixValidator() {
        noClasses().that().doNotHaveFullyQualifiedName(CryptoConfiguration.class.getName())
                .should().dependOnClassesThat().belongToAnyOf(PkixCertificateValidator.class,
                        PkixCertificateValidator.Builder.class)
                .because("a validator built elsewhere would keep the anchors of its time; changes made in the console"
                        + " must reach every holder (ReloadableCertificateValidator)")
                .check(GATEWAY);
    }
}
