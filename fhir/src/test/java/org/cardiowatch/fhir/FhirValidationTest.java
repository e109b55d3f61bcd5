package org.cardiowatch.fhir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.cardiowatch.schemas.avro.AlertActionKind;
import org.cardiowatch.schemas.avro.AlertKind;
import org.cardiowatch.schemas.avro.AlertState;
import org.cardiowatch.schemas.avro.Device;
import org.cardiowatch.schemas.avro.DeviceStatus;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every kind of resource CardioWatch exports, validated with HAPI's FHIR R4 instance validator
 * against the core specification and, for vital signs, the profile named in meta.profile.
 * Terminology is checked offline: UCUM fully, LOINC and SNOMED CT by system only.
 */
class FhirValidationTest {

    private static FhirValidator validator;

    @BeforeAll
    static void validator() {
        ValidationSupportChain support = new ValidationSupportChain(new DefaultProfileValidationSupport(FhirJson.R4),
                new SnapshotGeneratingValidationSupport(FhirJson.R4),
                new InMemoryTerminologyServerValidationSupport(FhirJson.R4),
                new CommonCodeSystemsTerminologyService(FhirJson.R4));
        validator = FhirJson.R4.newValidator().registerValidatorModule(new FhirInstanceValidator(support));
    }

    @Test
    void shouldExportAReadingAsValidVitalSignsObservations() {
        var observations = VitalSignsObservations.of(FhirSamples.reading());

        assertThat("heart rate, SpO2, blood pressure", observations, hasSize(3));
        observations.forEach(FhirValidationTest::assertValid);
    }

    @Test
    void shouldExportAMinuteAsValidVitalSignsObservationsOverThePeriod() {
        VitalSignsObservations.of(FhirSamples.minute()).forEach(FhirValidationTest::assertValid);
    }

    @Test
    void shouldExportAnEcgSegmentAsValidSampledData() {
        assertValid(EcgObservations.of(FhirSamples.ecg()));
    }

    @Test
    void shouldExportTheEctopicBeatBurdensAsValidObservationsOverThePeriod() {
        Instant to = FhirSamples.AT;
        Observation pvc = EctopicBurdenObservations.of("p-1001", to.minusSeconds(86_400), to,
                EctopicBurdenObservations.Ectopy.VENTRICULAR, 98_000, 4_321);

        assertValid(pvc);
        assertValid(EctopicBurdenObservations.of("p-1001", to.minusSeconds(86_400), to,
                EctopicBurdenObservations.Ectopy.SUPRAVENTRICULAR, 98_000, 0));
        assertThat(pvc.getValueQuantity().getValue().doubleValue(), org.hamcrest.Matchers.is(4.4));
        assertThat(pvc.getComponent().get(1).getValueQuantity().getValue().longValue(), org.hamcrest.Matchers.is(4_321L));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> EctopicBurdenObservations
                .of("p", to, to, EctopicBurdenObservations.Ectopy.VENTRICULAR, 0, 0));
    }

    @Test
    void shouldExportADeviceWithoutItsKey() {
        assertValid(DeviceResources.of(Device.newBuilder().setDeviceId("dev-1001").setPatientId("p-1001")
                .setStatus(DeviceStatus.REVOKED).setModel("chest ECG patch").setEnrolledAt(Instant.EPOCH)
                .setPayloadKey(java.nio.ByteBuffer.wrap(new byte[32])).build()));
    }

    @Test
    void shouldExportAlertsAndWhatCliniciansDidWithThem() {
        for (AlertKind kind : AlertKind.values()) {
            assertValid(AlertResources.detectedIssue(FhirSamples.alert(kind, AlertState.OPEN), null, null));
        }
        assertValid(AlertResources.detectedIssue(FhirSamples.alert(AlertKind.PAUSE, AlertState.RESOLVED), "cardio1",
                FhirSamples.AT.plusSeconds(90)));
        assertValid(AlertResources.communication(FhirSamples.action(AlertActionKind.ACKNOWLEDGED)));
        assertValid(AlertResources.communication(FhirSamples.action(AlertActionKind.ESCALATED)));
    }

    @Test
    void shouldRefuseAHeartRateInTheWrongUnitSoTheProfileIsReallyChecked() {
        Observation heartRate = VitalSignsObservations.of(FhirSamples.reading()).get(0);
        heartRate.getValueQuantity().setCode("mm[Hg]").setUnit("mmHg");

        assertThat(errors(heartRate), not(empty()));
    }

    private static void assertValid(IBaseResource resource) {
        assertThat(resource.fhirType() + " " + FhirJson.write(resource), errors(resource), empty());
    }

    private static List<String> errors(IBaseResource resource) {
        List<String> problems = new ArrayList<>();
        validator.validateWithResult(resource).getMessages().stream()
                .filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal())
                .forEach(m -> problems.add(m.getLocationString() + ": " + m.getMessage()));
        return problems;
    }
}
