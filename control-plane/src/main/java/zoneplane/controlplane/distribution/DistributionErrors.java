package zoneplane.controlplane.distribution;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import zoneplane.controlplane.api.Envelope;

/** Maps {@link RequestRefused} from the distribution controllers to the envelope. */
@RestControllerAdvice(assignableTypes = {ChangesController.class, NodesController.class})
@Order(Ordered.HIGHEST_PRECEDENCE)
class DistributionErrors {

    @ExceptionHandler(RequestRefused.class)
    ResponseEntity<Envelope<Object>> refused(RequestRefused refused) {
        return InternalResponses.error(refused.status(), refused.code(), refused.getMessage());
    }
}
