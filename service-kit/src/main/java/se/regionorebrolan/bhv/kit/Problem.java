package se.regionorebrolan.bhv.kit;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.List;

/** An RFC 9457 problem detail, as every service answers it. Never carries personal data or a stack trace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {

    public static final MediaType MEDIA_TYPE = new MediaType("application", "problem+json");

    public RestResponse<Problem> response() {
        return RestResponse.ResponseBuilder.create(RestResponse.Status.fromStatusCode(status), this)
                .type(MEDIA_TYPE)
                .build();
    }

    public static RestResponse<Problem> of(int status, String type, String title, String detail,
                                           List<FieldError> errors) {
        return new Problem(type, title, status, detail, errors).response();
    }
}
