package org.cardiowatch.fhir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.cardiowatch.schemas.avro.VitalSigns;
import org.cardiowatch.schemas.codes.VitalSignCode;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.SampledData;
import org.junit.jupiter.api.Test;

/** A reading in, FHIR JSON out, parsed back: the same values, times, codes and references. */
class VitalSignsRoundTripTest {

    @Test
    void shouldGiveBackTheReadingsValuesAfterJsonAndBack() {
        VitalSigns reading = FhirSamples.reading();

        Map<String, Observation> byLoinc = VitalSignsObservations.of(reading).stream()
                .map(o -> FhirJson.read(Observation.class, FhirJson.write(o)))
                .collect(Collectors.toMap(o -> o.getCode().getCodingFirstRep().getCode(), o -> o));

        assertThat(byLoinc.keySet(), org.hamcrest.Matchers.containsInAnyOrder("8867-4", "59408-5", "85354-9"));
        Observation heartRate = byLoinc.get(VitalSignCode.HEART_RATE.loinc());
        assertThat(heartRate.getValueQuantity().getValue().doubleValue(), is(72.5));
        assertThat(heartRate.getValueQuantity().getCode(), equalTo("/min"));
        assertThat(heartRate.getEffectiveDateTimeType().getValue().toInstant(), equalTo(reading.getMeasuredAt()));
        assertThat(heartRate.getSubject().getReference(), equalTo("Patient/p-1001"));
        assertThat(heartRate.getDevice().getReference(), equalTo("Device/dev-1001"));
        assertThat("the IEEE 11073 term travels with the LOINC code", heartRate.getCode().getCoding().get(1).getCode(),
                equalTo("147842"));
        assertThat("97.3 as the device sent it", byLoinc.get("59408-5").getValueQuantity().getValue().toPlainString(),
                equalTo("97.3"));
        Observation pressure = byLoinc.get(VitalSignCode.BLOOD_PRESSURE_PANEL.loinc());
        assertThat(pressure.getComponent().stream().map(c -> c.getCode().getCodingFirstRep().getCode()).toList(),
                contains("8480-6", "8462-4"));
        assertThat(pressure.getComponent().get(0).getValueQuantity().getValue().doubleValue(), is(128.0));
        assertThat(pressure.getComponent().get(1).getValueQuantity().getValue().doubleValue(), is(81.0));
        assertThat(pressure.getComponent().get(1).getValueQuantity().getCode(), equalTo("mm[Hg]"));
    }

    @Test
    void shouldGiveTheSameIdsForTheSameReadingSoAPushRetriedDoesNotDoubleIt() {
        List<String> first = VitalSignsObservations.of(FhirSamples.reading()).stream().map(o -> o.getIdElement().getIdPart()).toList();
        List<String> again = VitalSignsObservations.of(FhirSamples.reading()).stream().map(o -> o.getIdElement().getIdPart()).toList();

        assertThat(again, equalTo(first));
        assertThat(first.stream().distinct().toList(), hasSize(3));
    }

    @Test
    void shouldLeaveOutWhatTheReadingDidNotMeasure() {
        VitalSigns onlyHeartRate = VitalSigns.newBuilder(FhirSamples.reading()).setSpo2Percent(null)
                .setDiastolicMmHg(null).build();

        assertThat("no SpO2, and no half a blood pressure", VitalSignsObservations.of(onlyHeartRate), hasSize(1));
    }

    @Test
    void shouldCarryTheEcgSamplesAndTheirTiming() {
        Observation ecg = FhirJson.read(Observation.class, FhirJson.write(EcgObservations.of(FhirSamples.ecg())));
        SampledData samples = ecg.getValueSampledData();

        assertThat(samples.getData(), equalTo("0 15 1100 -250 30"));
        assertThat("4 ms between samples at 250 Hz", samples.getPeriod().doubleValue(), closeTo(4.0, 1e-9));
        assertThat(samples.getOrigin().getCode(), equalTo("uV"));
        assertThat("lead II's IEEE 11073 term", ecg.getCode().getCodingFirstRep().getCode(), equalTo("131330"));
    }
}
