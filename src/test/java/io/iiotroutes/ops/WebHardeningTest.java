package io.iiotroutes.ops;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebHardeningTest {

    @Test
    void anOriginIsTheSameWhenItNamesTheHostAndPortTheRequestWentTo() {
        assertTrue(WebHardening.sameOrigin("http://127.0.0.1:8080", "127.0.0.1:8080"));
        assertTrue(WebHardening.sameOrigin("https://Plant.Example", "plant.example"));
        assertTrue(WebHardening.sameOrigin("https://plant.example", "plant.example:443"));
        assertFalse(WebHardening.sameOrigin("http://127.0.0.1:9999", "127.0.0.1:8080"));
        assertFalse(WebHardening.sameOrigin("https://evil.example", "plant.example"));
        assertFalse(WebHardening.sameOrigin("https://plant.example.evil.example", "plant.example"));
        assertFalse(WebHardening.sameOrigin("null", "plant.example"));
        assertFalse(WebHardening.sameOrigin("http://plant.example", null));
        assertFalse(WebHardening.sameOrigin("::not a uri::", "plant.example"));
    }
}
