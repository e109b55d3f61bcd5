package org.cardiowatch.fhir;

import org.cardiowatch.schemas.avro.DeviceStatus;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;

/** An enrolled device as a FHIR Device; its payload key never leaves CardioWatch. */
public final class DeviceResources {

    private DeviceResources() {
    }

    public static Device of(org.cardiowatch.schemas.avro.Device device) {
        Device fhir = new Device();
        fhir.setId(FhirIds.safe(device.getDeviceId()));
        fhir.addIdentifier(new Identifier().setSystem(FhirIds.DEVICE_ID_SYSTEM).setValue(device.getDeviceId()));
        fhir.setStatus(device.getStatus() == DeviceStatus.ACTIVE ? Device.FHIRDeviceStatus.ACTIVE
                : Device.FHIRDeviceStatus.INACTIVE);
        if (device.getModel() != null) {
            fhir.addDeviceName().setName(device.getModel()).setType(Device.DeviceNameType.MODELNAME);
        }
        fhir.setPatient(new Reference("Patient/" + FhirIds.safe(device.getPatientId())));
        return fhir;
    }
}
