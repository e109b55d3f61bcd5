package org.cardiowatch.alerts;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;

/** Requests to the alerts service as one of the test accounts of {@link KafkaWithUsersResource}. */
public final class SignedIn {

    private SignedIn() {
    }

    public static RequestSpecification as(String user) {
        return given().auth().preemptive().basic(user, KafkaWithUsersResource.PASSWORD);
    }
}
